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
}
