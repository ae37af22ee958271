using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Frames;

public sealed class GeometricTransformTests
{
    [Theory]
    [InlineData("rot", 4)]
    [InlineData("rot,cross", 20)]
    [InlineData("rot,flip", 8)]
    [InlineData("rot,flip,shift", 72)]
    public void Sets_have_the_documented_size(string spec, int count) =>
        Assert.Equal(count, GeometricTransformSet.Create(spec, 28, 0.25).Count);

    [Theory]
    [InlineData("")]
    [InlineData("rot,zoom")]
    [InlineData("Rot")]
    public void Bad_sets_are_refused(string spec) => Assert.ThrowsAny<ArgumentException>(() => GeometricTransformSet.Create(spec, 28, 0.25));

    [Fact]
    public void Shift_moves_content_and_fills_with_zeros()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, 6, 6);
        x[0, 0, 2, 2] = tensor(1f);
        var shifted = new GeometricTransform(false, 3, -2, 0).Apply(x);
        Assert.Equal(1f, shifted[0, 0, 0, 5].item<float>());
        Assert.Equal(1f, shifted.sum().item<float>());
        var gone = new GeometricTransform(false, 4, 0, 0).Apply(x);
        Assert.Equal(0f, gone.sum().item<float>());
    }

    [Fact]
    public void Four_quarter_turns_and_two_flips_are_the_identity()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        var x = rand(2, 1, 5, 5);
        var turn = new GeometricTransform(false, 0, 0, 1);
        var flip = new GeometricTransform(true, 0, 0, 0);
        Assert.True(turn.Apply(turn.Apply(turn.Apply(turn.Apply(x)))).equal(x).all().item<bool>());
        Assert.True(flip.Apply(flip.Apply(x)).equal(x).all().item<bool>());
        Assert.False(turn.Apply(x).equal(x).all().item<bool>());
    }

    [Theory]
    [InlineData("rotations", new[] { 0, 1, 2, 3 })]
    [InlineData("upright-inverted", new[] { 0, 2 })]
    public void Scoring_sets_pick_unshifted_rotations(string scoring, int[] quarterTurns)
    {
        var settings = new FrameCnnSettings { Transforms = "rot,cross", Scoring = scoring }.Validate();
        var transforms = settings.CreateTransforms();
        var picked = settings.ScoringTransformIndices().Select(i => transforms[i]).ToArray();
        Assert.All(picked, t => Assert.Equal((false, 0, 0), (t.Flip, t.ShiftX, t.ShiftY)));
        Assert.Equal(quarterTurns, picked.Select(t => t.QuarterTurns).ToArray());
        Assert.Contains("scoring must be", Assert.Throws<ArgumentException>(() => (settings with { Scoring = "half" }).Validate()).Message);
    }
}
