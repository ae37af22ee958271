using System.Text.Json;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Tests.Frames;

public sealed class FrameCnnDetectorTests(TinyFrameBundle bundle) : IClassFixture<TinyFrameBundle>
{
    [Fact]
    public void A_tiny_training_run_finds_the_foreign_tile()
    {
        using var detector = DetectorLoader.LoadFrames(bundle.Directory, "cpu");
        var frames = new List<GreyFrame>();
        var foreignCells = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            frames.Add(TinyFrameBundle.Mosaic(100 + i, null));
            foreignCells.Add(i % 4);
            frames.Add(TinyFrameBundle.Mosaic(200 + i, i % 4));
        }
        var scores = detector.ScoreBatch(frames);
        Assert.Equal(frames.Count, scores.Length);

        var normal = scores.Where((_, i) => i % 2 == 0).Select(s => s.RawValue).ToArray();
        var anomalous = scores.Where((_, i) => i % 2 == 1).ToArray();
        var auroc = Auroc.Compute([.. normal.Concat(anomalous.Select(s => s.RawValue)).Select(v => (float)v)],
            [.. normal.Select(_ => false).Concat(anomalous.Select(_ => true))]);
        Assert.True(auroc >= 0.9, $"frame AUROC {auroc:F3}: a bag among trousers should stand out");
        var located = anomalous.Where((s, i) => s.TopTile == foreignCells[i]).Count();
        Assert.True(located >= 9, $"top tile was the bag in {located} of 12 frames");
    }

    [Fact]
    public void Every_frame_gets_a_score_in_unit_range_and_a_heat_map_of_the_grid()
    {
        using var detector = DetectorLoader.LoadFrames(bundle.Directory, "cpu");
        var result = detector.ScoreBatch([TinyFrameBundle.Mosaic(1, 2)])[0];
        Assert.Equal((2, 2), (result.Rows, result.Cols));
        Assert.Equal(4, result.HeatMap.Length);
        Assert.All(result.HeatMap, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(result.HeatMap.Max(), (float)result.Score, 5);
        Assert.Equal(result.Score >= detector.ThresholdScore, result.IsAnomalous);
        Assert.Equal(result.HeatMap[result.TopTile], result.HeatMap.Max());
    }

    [Fact]
    public void Bundle_round_trip_scores_identically_and_keeps_segmentation_and_scaling()
    {
        using var first = DetectorLoader.LoadFrames(bundle.Directory, "cpu");
        using var second = DetectorLoader.LoadFrames(bundle.Directory, "cpu");
        Assert.Equal(DetectorKinds.FrameCnn, first.Manifest.Kind);
        Assert.Equal(new TileGrid(2, 2), first.Grid);
        Assert.Equal(28, first.InputSize);
        Assert.Equal(2, first.Manifest.Hyperparameters["tileRows"].GetInt32());
        Assert.Equal("rot,cross", first.Manifest.Hyperparameters["transforms"].GetString());
        Assert.Equal(bundle.Outcome.Calibration.Threshold, first.Manifest.Threshold.RawValue, 9);

        // Frames of another size are segmented by the same grid and scaled to the same input.
        var frames = new[] { TinyFrameBundle.Mosaic(5, 0), TinyFrameBundle.Mosaic(6, null) };
        var a = first.ScoreBatch(frames);
        var b = second.ScoreBatch(frames);
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i].RawValue, b[i].RawValue, 5);
            Assert.Equal(a[i].HeatMap, b[i].HeatMap);
        }
        // Batch-first: scoring frames one by one gives the same values as one batch.
        Assert.Equal(a[1].RawValue, first.ScoreBatch([frames[1]])[0].RawValue, 4);
    }

    [Fact]
    public void Frames_of_any_size_are_scaled_to_the_input()
    {
        using var detector = DetectorLoader.LoadFrames(bundle.Directory, "cpu");
        var odd = FrameTestData.Pattern(83, 61, (x, y) => (x * y) % 256);
        var score = detector.ScoreBatch([odd])[0];
        Assert.Equal(4, score.HeatMap.Length);
        Assert.True(double.IsFinite(score.RawValue));
    }

    [Fact]
    public void A_frame_smaller_than_the_grid_fails_the_batch_naming_it()
    {
        using var detector = DetectorLoader.LoadFrames(bundle.Directory, "cpu");
        var e = Assert.Throws<FrameFormatException>(() => detector.ScoreBatch([TinyFrameBundle.Mosaic(1, null), FrameTestData.Pattern(1, 40, (_, _) => 0)]));
        Assert.Contains("frame 1", e.Message);
        Assert.Contains("1 px wide", e.Message);
    }

    [Fact]
    public void A_bundle_of_another_kind_is_refused()
    {
        var dir = CopyBundle();
        EditManifest(dir, json => json.Replace("\"kind\": \"frame-cnn\"", "\"kind\": \"lstm-dcnn\""));
        var e = Assert.Throws<BundleException>(() => DetectorLoader.LoadFrames(dir, "cpu"));
        Assert.Contains("not 'frame-cnn'", e.Message);
    }

    [Fact]
    public void Tampered_weights_are_refused()
    {
        var dir = CopyBundle();
        var weights = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);
        Assert.Contains("does not match its manifest", Assert.Throws<BundleException>(() => DetectorLoader.LoadFrames(dir, "cpu")).Message);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_declared_network_are_refused()
    {
        var dir = CopyBundle();
        EditManifest(dir, json => json.Replace("\"width\": 8", "\"width\": 6"));
        Assert.Contains("does not fit", Assert.Throws<BundleException>(() => DetectorLoader.LoadFrames(dir, "cpu")).Message);
    }

    [Fact]
    public void A_manifest_that_drops_the_density_does_not_fit_the_weights()
    {
        var dir = CopyBundle();
        EditManifest(dir, json => json.Replace("\"features\": \"hidden\"", "\"features\": \"none\""));
        Assert.Contains("does not fit", Assert.Throws<BundleException>(() => DetectorLoader.LoadFrames(dir, "cpu")).Message);
    }

    [Fact]
    public void The_density_is_saved_with_the_weights_and_its_standardisation_is_fitted()
    {
        using var detector = FrameCnnBundle.Load(bundle.Directory, "cpu");
        Assert.Equal("hidden", detector.Manifest.Hyperparameters["features"].GetString());
        var tiles = bundle.Data.Tiles.AsSpan(0, 40 * 28 * 28).ToArray();
        var raw = new float[40];
        detector.ScoreTiles(tiles, 40, raw);
        // Raw values are a sum of two z-scores fitted on normal tiles, so normal training tiles sit around 0 and some
        // fall below it; the geometric signal alone (a mean of −log p) never does.
        Assert.InRange(raw.Average(), -2.0, 2.0);
        Assert.True(raw.Min() < 0, $"lowest raw value {raw.Min()}");
        Assert.All(raw, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Missing_segmentation_settings_are_refused()
    {
        var dir = CopyBundle();
        EditManifest(dir, json =>
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
            node["hyperparameters"]!.AsObject().Remove("tileRows");
            return node.ToJsonString();
        });
        Assert.Contains("tileRows", Assert.Throws<BundleException>(() => DetectorLoader.LoadFrames(dir, "cpu")).Message);
    }

    [Fact]
    public void Training_data_fingerprint_and_figures_are_recorded()
    {
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(bundle.Directory, "manifest.json"))).RootElement;
        Assert.Equal(bundle.Data.Fingerprint(), manifest.GetProperty("trainingFingerprint").GetString());
        Assert.Equal(bundle.Outcome.TrainingTiles, manifest.GetProperty("evaluation").GetProperty("trainingTiles").GetInt32());
        Assert.Equal(1200, bundle.Outcome.TrainingTiles + bundle.Outcome.CalibrationTiles);
    }

    private string CopyBundle()
    {
        var dir = FrameTestData.TempDir();
        foreach (var file in Directory.GetFiles(bundle.Directory))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        return dir;
    }

    private static void EditManifest(string dir, Func<string, string> edit)
    {
        var path = Path.Combine(dir, "manifest.json");
        var before = File.ReadAllText(path);
        var after = edit(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(path, after);
    }
}
