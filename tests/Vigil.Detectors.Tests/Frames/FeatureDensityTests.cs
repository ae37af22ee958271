using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Frames;

public sealed class FeatureDensityTests
{
    public FeatureDensityTests() => TorchRuntime.EnsureInitialised();

    [Fact]
    public void Distance_follows_the_spread_of_the_normal_embeddings()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        // Wide in the first direction (sd 5), narrow in the second (sd 0.2), centred at (1, -1).
        var samples = randn(4000, 2) * tensor(new float[] { 5f, 0.2f }) + tensor(new float[] { 1f, -1f });
        using var density = new FeatureDensity(2);
        density.Fit(samples);

        var d = density.forward(tensor(new float[,] { { 1, -1 }, { 3, -1 }, { 1, 1 } })).data<float>().ToArray();
        Assert.InRange(d[0], 0f, 0.01f);          // the mean
        Assert.InRange(d[1], 0.1f, 0.2f);         // 2 along the wide direction = 0.4 sd → 0.16
        // 2 along the narrow direction is 10 sd, but the ridge (1 % of the mean variance, 0.125) widens it:
        // 4 / (0.04 + 0.125) ≈ 24, still 150 times the same step along the wide direction.
        Assert.InRange(d[2], 20f, 30f);
    }

    [Fact]
    public void Combine_adds_the_two_standardised_signals()
    {
        using var scope = NewDisposeScope();
        using var density = new FeatureDensity(3);
        density.FitStandardisation([1f, 3f], [10f, 30f]); // means 2 and 20, sample spreads √2 and 10√2
        var combined = density.Combine(tensor(new float[] { 2f, 2f + MathF.Sqrt(2) }), tensor(new float[] { 20f, 20f + 10 * MathF.Sqrt(2) }))
            .data<float>().ToArray();
        Assert.Equal(0f, combined[0], 4);
        Assert.Equal(2f, combined[1], 4);
    }

    [Fact]
    public void Too_few_or_non_finite_values_are_refused()
    {
        using var density = new FeatureDensity(2);
        Assert.Throws<ArgumentException>(() => density.FitStandardisation([1f], [1f]));
        Assert.Throws<ArgumentException>(() => density.FitStandardisation([1f, float.NaN], [1f, 2f]));
        using var one = ones(1, 2);
        Assert.Throws<ArgumentException>(() => density.Fit(one));
    }

    [Fact]
    public void A_network_without_a_density_keeps_the_earlier_weights_layout_and_loads()
    {
        // Bundles written before the density existed have no "features" key and no density buffers.
        var settings = new FrameCnnSettings { TileRows = 2, TileCols = 2, Width = 4 };
        Assert.False(settings.UsesDensity);
        var dir = FrameTestData.TempDir();
        using (var network = new FrameCnnNetwork(settings.Width, settings.Outputs))
        {
            Assert.DoesNotContain(network.state_dict().Keys, k => k.StartsWith("density", StringComparison.Ordinal));
            FrameCnnBundle.Save(dir, network, settings, ScoreCalibration.Fit(Enumerable.Range(1, 20).Select(i => (float)i).ToArray(), 4), "test");
        }
        using var detector = FrameCnnBundle.Load(dir, "cpu");
        var score = detector.ScoreBatch([FrameTestData.Pattern(56, 56, (x, y) => (x + y) % 256)])[0];
        Assert.True(score.RawValue >= 0, "without a density the raw value is the geometric surprise, a mean of −log p");

        using var withDensity = new FrameCnnNetwork(settings.Width, settings.Outputs, withDensity: true);
        Assert.Contains(withDensity.state_dict().Keys, k => k == "density.precision");
    }

    [Fact]
    public void Unknown_feature_kinds_are_refused() =>
        Assert.Contains("features must be none, hidden or one of knn", Assert.Throws<ArgumentException>(() => new FrameCnnSettings { Features = "pixels" }.Validate()).Message);
}
