using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Frames;

/// <summary>The kNN memory variant of the tiny bundle (trained with the density variant from one network).</summary>
public sealed class KnnFrameBundleTests(TinyFrameBundle bundle) : IClassFixture<TinyFrameBundle>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tiny_training_run_with_a_memory_finds_the_foreign_tile(bool pixels)
    {
        using var detector = DetectorLoader.LoadFrames(pixels ? bundle.PixelDirectory : bundle.KnnDirectory, "cpu");
        var frames = new List<GreyFrame>();
        for (var i = 0; i < 12; i++)
        {
            frames.Add(TinyFrameBundle.Mosaic(300 + i, null));
            frames.Add(TinyFrameBundle.Mosaic(400 + i, i % 4));
        }
        var scores = detector.ScoreBatch(frames);
        var auroc = Auroc.Compute([.. scores.Select(s => (float)s.RawValue)], [.. scores.Select((_, i) => i % 2 == 1)]);
        Assert.True(auroc >= 0.9, $"frame AUROC {auroc:F3}: a bag among trousers should stand out");
        var located = scores.Where((s, i) => i % 2 == 1 && s.TopTile == i / 2 % 4).Count();
        Assert.True(located >= 9, $"top tile was the bag in {located} of 12 frames");
    }

    [Fact]
    public void The_memory_round_trips_in_the_bundle_and_is_covered_by_the_weights_checksum()
    {
        using var detector = FrameCnnBundle.Load(bundle.KnnDirectory, "cpu");
        var settings = detector.Settings;
        Assert.Equal(TinyFrameBundle.KnnFeatures, settings.Features);
        Assert.Equal(bundle.KnnOutcome.TrainingTiles, settings.MemoryRows); // fewer tiles than the 4,096 cap: all kept
        Assert.Equal(settings.MemoryRows, detector.Manifest.Hyperparameters["memoryRows"].GetInt32());

        // The same tiles score the same through a reloaded bundle.
        var tiles = bundle.Data.Tiles.AsSpan(0, 24 * 28 * 28).ToArray();
        var first = new float[24];
        var second = new float[24];
        detector.ScoreTiles(tiles, 24, first);
        using (var again = DetectorLoader.LoadFrames(bundle.KnnDirectory, "cpu")) again.ScoreTiles(tiles, 24, second);
        Assert.Equal(first, second);
        Assert.All(first, v => Assert.True(float.IsFinite(v)));
        Assert.InRange(first.Average(), -3.0, 3.0); // z-scores fitted on normal tiles

        // The bank is the last tensor the weights file holds: damage to it is caught by the SHA-256.
        var dir = FrameTestData.TempDir();
        foreach (var file in Directory.GetFiles(bundle.KnnDirectory)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        var weights = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[^40] ^= 0x10;
        File.WriteAllBytes(weights, bytes);
        Assert.Contains("does not match its manifest", Assert.Throws<BundleException>(() => DetectorLoader.LoadFrames(dir, "cpu")).Message);
    }

    [Fact]
    public void Both_variants_share_the_trained_network()
    {
        using var density = FrameCnnBundle.Load(bundle.Directory, "cpu");
        using var memory = FrameCnnBundle.Load(bundle.KnnDirectory, "cpu");
        Assert.Equal(bundle.Outcome.TrainingTime, bundle.KnnOutcome.TrainingTime);
        Assert.Equal("hidden", density.Settings.Features);
        // Same trunk: identical weights file prefix would be fragile, so compare a conv weight through a reload.
        var a = new FrameCnnNetwork(8, 20, withDensity: true);
        var b = FrameCnnNetwork.For(memory.Settings);
        a.load(Path.Combine(bundle.Directory, "weights.bin"));
        b.load(Path.Combine(bundle.KnnDirectory, "weights.bin"));
        foreach (var key in new[] { "features.0.0.weight", "features.4.1.running_var", "head.4.bias" })
            Assert.True(a.state_dict()[key].equal(b.state_dict()[key]).all().item<bool>(), key);
        Assert.False(b.state_dict()["memory.bank"].abs().sum().item<float>() == 0, "the bank was filled");
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public void The_pixel_memory_holds_the_training_tiles_pixels()
    {
        using var detector = FrameCnnBundle.Load(bundle.PixelDirectory, "cpu");
        Assert.Equal("px", detector.Settings.Features);
        Assert.Equal(14 * 14, detector.Settings.MemoryDimensions);
        using var network = FrameCnnNetwork.For(detector.Settings);
        network.load(Path.Combine(bundle.PixelDirectory, "weights.bin"));
        var bank = network.state_dict()["memory.bank"];
        // Rows are 2×2 means of [0, 1] pixels, and a trouser tile is mostly dark background with a bright shape.
        Assert.InRange(bank.min().item<float>(), 0f, 0f);
        Assert.InRange(bank.max().item<float>(), 0.5f, 1f);
    }
}
