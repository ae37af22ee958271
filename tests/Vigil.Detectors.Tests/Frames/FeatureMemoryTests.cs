using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Frames;

public sealed class FeatureMemoryTests
{
    public FeatureMemoryTests() => TorchRuntime.EnsureInitialised();

    [Fact]
    public void Distance_is_the_mean_squared_distance_to_the_k_nearest_rows()
    {
        using var scope = NewDisposeScope();
        using var memory = new FeatureMemory(rows: 4, dimensions: 2, neighbours: 2);
        memory.Fit(tensor(new float[,] { { 0, 0 }, { 1, 0 }, { 0, 3 }, { 10, 10 } }));
        var d = memory.forward(tensor(new float[,] { { 0, 0 }, { 1, 1 }, { 10, 12 } })).data<float>().ToArray();
        Assert.Equal(0.5f, d[0], 4);              // 0 and 1
        Assert.Equal((1f + 2f) / 2, d[1], 4);     // (1,0) at 1, (0,0) at 2
        Assert.Equal((4f + 181f) / 2, d[2], 3);   // (10,10) at 4, (0,3) at 100 + 81
    }

    [Fact]
    public void Fit_keeps_evenly_spaced_rows_when_given_more_than_it_holds()
    {
        using var scope = NewDisposeScope();
        using var memory = new FeatureMemory(rows: 3, dimensions: 1, neighbours: 1);
        memory.Fit(arange(9, dtype: ScalarType.Float32).view(9, 1));
        var bank = memory.get_buffer("bank")!.data<float>().ToArray();
        Assert.Equal([0f, 3f, 6f], bank);
        using var two = ones(2, 1);
        Assert.Throws<ArgumentException>(() => memory.Fit(two));
        using var wide = ones(5, 2);
        Assert.Throws<ArgumentException>(() => memory.Fit(wide));
    }

    [Fact]
    public void Combine_adds_z_scores_and_standardise_gives_the_distance_alone()
    {
        using var scope = NewDisposeScope();
        using var memory = new FeatureMemory(rows: 2, dimensions: 1, neighbours: 1);
        memory.FitStandardisation([1f, 3f], [10f, 30f]);
        var both = memory.Combine(tensor(new[] { 2f }), tensor(new[] { 20f + 10 * MathF.Sqrt(2) })).item<float>();
        Assert.Equal(1f, both, 4);
        Assert.Equal(1f, memory.Standardise(tensor(new[] { 20f + 10 * MathF.Sqrt(2) })).item<float>(), 4);
    }

    [Fact]
    public void Bad_shapes_and_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureMemory(rows: 2, dimensions: 3, neighbours: 3));
        Assert.Contains("neighbours", Assert.Throws<ArgumentException>(() =>
            new FrameCnnSettings { Features = "knn", MemoryRows = 4, Neighbours = 5 }.Validate()).Message);
        Assert.Contains("features must be", Assert.Throws<ArgumentException>(() => new FrameCnnSettings { Features = "knn-xyz" }.Validate()).Message);
    }

    [Theory]
    [InlineData("knn", 32, false)]
    [InlineData("knn-ms", 80, false)]
    [InlineData("knn-tta", 128, false)]
    [InlineData("knn-ms-tta-only", 320, true)]
    [InlineData("px", 196, false)]
    [InlineData("sil-max", 196, false)]
    public void Feature_kinds_set_the_memory_shape(string features, int dimensions, bool alone)
    {
        var settings = new FrameCnnSettings { Width = 8, Features = features }.Validate();
        Assert.True(settings.UsesMemory);
        Assert.False(settings.UsesDensity);
        Assert.Equal(dimensions, settings.MemoryDimensions);
        Assert.Equal(alone, settings.MemoryAlone);
        using var network = FrameCnnNetwork.For(settings);
        Assert.Equal([settings.MemoryRows, dimensions], network.state_dict()["memory.bank"].shape);
    }
}
