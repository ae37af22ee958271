using SkiaSharp;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Tests.Frames;

public sealed class FrameTrainingDataTests
{
    private static readonly FrameCnnSettings Settings = new() { TileRows = 2, TileCols = 2, Width = 4, Epochs = 1 };

    private static void WritePng(string path, int width, int height, Func<int, int, byte> grey) =>
        File.WriteAllBytes(path, FrameDecoderTests.Encode(width, height, (x, y) => { var g = grey(x, y); return new SKColor(g, g, g); }));

    [Fact]
    public void A_folder_of_frames_is_tiled_by_the_grid()
    {
        var dir = FrameTestData.TempDir();
        for (var i = 0; i < 3; i++) WritePng(Path.Combine(dir, $"f{i}.png"), 40, 30, (x, _) => (byte)(x * 6));
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "ignored");
        var data = FrameTrainingData.Load(dir, Settings, 0, FrameLimits.Default);
        Assert.Equal(3 * 4, data.Count);
        Assert.False(data.IsLabelled);
    }

    [Fact]
    public void An_undecodable_frame_fails_loading_naming_the_file()
    {
        var dir = FrameTestData.TempDir();
        WritePng(Path.Combine(dir, "a.png"), 40, 30, (_, _) => 0);
        File.WriteAllText(Path.Combine(dir, "b.jpg"), "this is no jpeg");
        var e = Assert.Throws<FrameFormatException>(() => FrameTrainingData.Load(dir, Settings, 0, FrameLimits.Default));
        Assert.Contains("b.jpg", e.Message);
    }

    [Fact]
    public void A_zero_size_or_oversized_frame_is_refused_naming_the_file()
    {
        var dir = FrameTestData.TempDir();
        WritePng(Path.Combine(dir, "wide.png"), 200, 30, (_, _) => 0);
        var e = Assert.Throws<FrameFormatException>(() => FrameTrainingData.Load(dir, Settings, 0, new FrameLimits { MaxWidth = 100 }));
        Assert.Contains("wide.png", e.Message);
        Assert.Contains("over the limit", e.Message);

        var tiny = FrameTestData.TempDir();
        WritePng(Path.Combine(tiny, "one-pixel.png"), 1, 1, (_, _) => 0);
        Assert.Contains("one-pixel.png", Assert.Throws<FrameFormatException>(() => FrameTrainingData.Load(tiny, Settings, 0, FrameLimits.Default)).Message);
    }

    [Fact]
    public void An_empty_folder_or_missing_class_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => FrameTrainingData.Load(FrameTestData.TempDir(), Settings, 0, FrameLimits.Default));
        Assert.Contains("class 42", Assert.Throws<InvalidDataException>(() => FrameTrainingData.Load(FrameTestData.FashionMnist, Settings, 42, FrameLimits.Default)).Message);
    }

    [Fact]
    public void Labelled_folders_train_the_supervised_head_which_separates_the_anomalies()
    {
        var dir = FrameTestData.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "normal"));
        Directory.CreateDirectory(Path.Combine(dir, "anomalous"));
        var random = new Random(3);
        // Normal: smooth horizontal ramps; anomalous: salt-and-pepper noise. 2x2 tiles each.
        for (var i = 0; i < 40; i++)
            WritePng(Path.Combine(dir, "normal", $"n{i}.png"), 32, 32, (x, _) => (byte)(x * 8 + i % 5));
        for (var i = 0; i < 10; i++)
            WritePng(Path.Combine(dir, "anomalous", $"a{i}.png"), 32, 32, (_, _) => (byte)(random.Next(2) * 255));
        var data = FrameTrainingData.Load(dir, Settings with { InputSize = 16 }, 0, FrameLimits.Default);
        Assert.True(data.IsLabelled);

        var bundleDir = Path.Combine(dir, "bundle");
        var outcome = FrameCnnTraining.TrainBundle(data, Settings with { InputSize = 16, Epochs = 3 }, bundleDir, "cpu");
        Assert.Equal(FrameCnnSettings.SupervisedObjective, outcome.Settings.Objective);
        using var detector = DetectorLoader.LoadFrames(bundleDir, "cpu");
        var normal = FrameTestData.Pattern(32, 32, (x, _) => x * 8 + 2);
        var noisy = FrameTestData.Pattern(32, 32, (_, _) => random.Next(2) * 255);
        var scores = detector.ScoreBatch([normal, noisy]);
        Assert.True(scores[1].RawValue > scores[0].RawValue, $"noise {scores[1].RawValue:F3} vs ramp {scores[0].RawValue:F3}");
    }

    [Fact]
    public void Idx_with_anomalous_classes_labels_their_images_and_spreads_a_limit_over_every_class()
    {
        var data = FrameTrainingData.Load(FrameTestData.FashionMnist, Settings, 1, FrameLimits.Default, maxTiles: 100, anomalousClasses: new HashSet<int> { 7, 9 });
        Assert.True(data.IsLabelled);
        Assert.Equal(200, data.Count);
        Assert.Equal([.. Enumerable.Repeat(0L, 100), .. Enumerable.Repeat(1L, 100)], data.Labels!);

        // The copy lists its training images class by class: the first 100 of classes 7 and 9 would all be sneakers.
        var train = FrameTestData.Train;
        var sample = Sampling.EvenlySpaced(train.IndicesOf(new HashSet<int> { 7, 9 }), 100);
        Assert.Equal(50, sample.Count(i => train.Labels[i] == 9));
        var perTile = Settings.InputSize * Settings.InputSize;
        Assert.Equal(TileSet.FromIdx(train, sample, Settings.InputSize), data.Tiles[(100 * perTile)..]);
        Assert.Equal(TileSet.FromIdx(train, train.IndicesOf(new HashSet<int> { 1 })[..100], Settings.InputSize), data.Tiles[..(100 * perTile)]);
    }

    [Fact]
    public void Anomalous_classes_that_are_missing_normal_or_without_idx_labels_are_refused()
    {
        var mnist = FrameTestData.FashionMnist;
        Assert.Contains("class 42", Assert.Throws<InvalidDataException>(() =>
            FrameTrainingData.Load(mnist, Settings, 1, FrameLimits.Default, anomalousClasses: new HashSet<int> { 7, 42 })).Message);
        Assert.Contains("both the normal class and an anomalous one", Assert.Throws<InvalidDataException>(() =>
            FrameTrainingData.Load(mnist, Settings, 1, FrameLimits.Default, anomalousClasses: new HashSet<int> { 1, 7 })).Message);

        var frames = FrameTestData.TempDir();
        WritePng(Path.Combine(frames, "f.png"), 40, 30, (_, _) => 0);
        Assert.Contains("anomalous classes need IDX labels", Assert.Throws<InvalidDataException>(() =>
            FrameTrainingData.Load(frames, Settings, 0, FrameLimits.Default, anomalousClasses: new HashSet<int> { 7 })).Message);
    }

    [Fact]
    public void Idx_anomalous_classes_train_a_supervised_head_that_scores_them_above_the_normal_class()
    {
        var settings = Settings with { Epochs = 2 };
        var data = FrameTrainingData.Load(FrameTestData.FashionMnist, settings, 1, FrameLimits.Default, maxTiles: 300, anomalousClasses: new HashSet<int> { 7, 8 });
        var bundleDir = Path.Combine(FrameTestData.TempDir(), "bundle");
        var outcome = FrameCnnTraining.TrainBundle(data, settings with { Features = "px" }, bundleDir, "cpu");
        Assert.Equal(FrameCnnSettings.SupervisedObjective, outcome.Settings.Objective);
        Assert.Equal(FrameCnnSettings.NoFeatures, outcome.Settings.Features); // px asked for, but a supervised head has no memory

        // Test images, never trained on: trousers (normal) against sneakers and bags (the labelled anomalies).
        using var detector = FrameCnnBundle.Load(bundleDir, "cpu");
        var test = FrameTestData.Test;
        var trousers = test.IndicesOf(new HashSet<int> { 1 })[..40];
        var foreign = test.IndicesOf(new HashSet<int> { 7, 8 }).Where((_, k) => k % 50 == 0).ToArray();
        var tiles = TileSet.FromIdx(test, [.. trousers, .. foreign], settings.InputSize);
        var raw = new float[trousers.Length + foreign.Length];
        detector.ScoreTiles(tiles, raw.Length, raw);
        var auroc = Auroc.Compute(raw, [.. raw.Select((_, k) => k >= trousers.Length)]);
        Assert.True(auroc >= 0.95, $"AUROC {auroc:F3}");
    }
}
