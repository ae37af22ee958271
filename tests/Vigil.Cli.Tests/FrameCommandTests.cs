using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

/// <summary>The frame-cnn commands as a user runs them: tiny settings so each finishes in seconds.</summary>
public sealed class FrameCommandTests : IDisposable
{
    private readonly List<string> created = [];

    public void Dispose()
    {
        foreach (var dir in created) Directory.Delete(dir, recursive: true);
    }


    private string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vigil-frame-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        created.Add(dir);
        return dir;
    }

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].Trim();

    [Fact]
    public async Task Train_frame_cnn_on_idx_writes_a_bundle()
    {
        var output = Path.Combine(TempDir(), "bundle");
        var result = await CliHarness.RunAsync("train", "frame-cnn", "--data", TestRepo.SharedData("fashion-mnist"), "--out", output, "--normal-class", "1",
            "--tiles", "2x2", "--max-tiles", "300", "--epochs", "1", "--width", "4", "--device", "cpu", "--threads", "1");
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Contains("bundle:", result.StdOut);
        Assert.True(File.Exists(Path.Combine(output, "manifest.json")));
        Assert.Contains("\"kind\": \"frame-cnn\"", await File.ReadAllTextAsync(Path.Combine(output, "manifest.json")));
    }

    [Fact]
    public async Task Train_frame_cnn_with_anomalous_classes_trains_the_supervised_head()
    {
        var output = Path.Combine(TempDir(), "bundle");
        var result = await CliHarness.RunAsync("train", "frame-cnn", "--data", TestRepo.SharedData("fashion-mnist"), "--out", output, "--normal-class", "1",
            "--anomalous-classes", "7, 8", "--tiles", "2x2", "--max-tiles", "200", "--epochs", "1", "--width", "4", "--device", "cpu", "--threads", "1");
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Contains("200 IDX images of class 1 and 200 anomalous ones of class 7,8", result.StdOut);
        Assert.Contains("supervised head", result.StdOut);
        var manifest = await File.ReadAllTextAsync(Path.Combine(output, "manifest.json"));
        Assert.Contains("\"objective\": \"supervised\"", manifest);
        Assert.Contains("\"features\": \"none\"", manifest);

        // The labelled bundle evaluates on the frames protocol like any other.
        var evaluation = await CliHarness.RunAsync("evaluate", "frames", "--data", TestRepo.SharedData("fashion-mnist"), "--bundle", output, "--normal-class", "1",
            "--frames", "8", "--out", TempDir(), "--device", "cpu", "--threads", "1");
        Assert.True(evaluation.ExitCode == 0, evaluation.StdErr + evaluation.StdOut);
        Assert.Contains("(supervised head)", evaluation.StdOut);
        Assert.Matches(@"^frames AUROC=\d+\.\d localisation=\d+\.\d$", LastLine(evaluation.StdOut));
    }

    [Theory]
    [InlineData("7,x", "--anomalous-classes: 'x' is not a class label")]
    [InlineData(",", "--anomalous-classes names no class")]
    [InlineData("1,7", "class 1 cannot be both the normal class and an anomalous one")]
    public async Task Bad_anomalous_classes_are_a_one_line_error_and_write_nothing(string classes, string message)
    {
        var output = Path.Combine(TempDir(), "bundle");
        var result = await CliHarness.RunAsync("train", "frame-cnn", "--data", TestRepo.SharedData("fashion-mnist"), "--out", output, "--normal-class", "1",
            "--anomalous-classes", classes, "--device", "cpu");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StdErr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_bad_grid_is_a_one_line_error_and_writes_nothing()
    {
        var output = Path.Combine(TempDir(), "bundle");
        var result = await CliHarness.RunAsync("train", "frame-cnn", "--data", TestRepo.SharedData("fashion-mnist"), "--out", output, "--tiles", "4by4");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'4by4' is not a tile grid", result.StdErr);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task An_undecodable_frame_fails_training_naming_the_file_and_writes_nothing()
    {
        var data = TempDir();
        await File.WriteAllTextAsync(Path.Combine(data, "cam-001.png"), "not a png");
        var output = Path.Combine(TempDir(), "bundle");
        var result = await CliHarness.RunAsync("train", "frame-cnn", "--data", data, "--out", output, "--device", "cpu");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cam-001.png", result.StdErr);
        Assert.False(File.Exists(Path.Combine(output, "manifest.json")));
    }

    [Fact]
    public async Task Evaluate_oneclass_ends_with_the_mean_auroc_line()
    {
        var result = await CliHarness.RunAsync("evaluate", "oneclass", "--data", TestRepo.SharedData("fashion-mnist"), "--classes", "1", "--max-train-images", "300",
            "--width", "4", "--device", "cpu", "--threads", "1");
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        var last = LastLine(result.StdOut);
        var match = Regex.Match(last, @"^one-class mean AUROC=(\d+\.\d)$");
        Assert.True(match.Success, last);
        Assert.InRange(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 70, 100);
        Assert.Contains("Trouser", result.StdOut);
    }

    [Fact]
    public async Task Evaluate_oneclass_refuses_an_unknown_class()
    {
        var result = await CliHarness.RunAsync("evaluate", "oneclass", "--data", TestRepo.SharedData("fashion-mnist"), "--classes", "1,42");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'42' is not one of the test set's classes", result.StdErr);
    }

    [Fact]
    public async Task Evaluate_frames_reports_auroc_and_localisation_and_writes_heat_maps()
    {
        var output = TempDir();
        var result = await CliHarness.RunAsync("evaluate", "frames", "--data", TestRepo.SharedData("fashion-mnist"), "--normal-class", "1", "--frames", "16",
            "--max-train-images", "300", "--width", "4", "--out", output, "--device", "cpu", "--threads", "1");
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Matches(@"^frames AUROC=\d+\.\d localisation=\d+\.\d$", LastLine(result.StdOut));
        // Foreign frames broken down by the class of their foreign tile, with Fashion-MNIST's names.
        Assert.Contains("foreign class  frames   AUROC  localisation  tile AUROC", result.StdOut);
        Assert.Matches(new Regex(@"^[02-9] (T-shirt/top|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot) +\d+ +\d+\.\d +\d+\.\d% +\d+\.\d$", RegexOptions.Multiline), result.StdOut);
        var pngs = Directory.GetFiles(output, "*.png");
        Assert.NotEmpty(pngs);
        Assert.All(pngs, p => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(p)[..4]));
    }

    [Fact]
    public async Task Evaluate_frames_on_validation_mosaics_compares_feature_kinds_from_one_training_run()
    {
        var output = TempDir();
        var result = await CliHarness.RunAsync("evaluate", "frames", "--data", TestRepo.SharedData("fashion-mnist"), "--normal-class", "1", "--frames", "16",
            "--split", "validation", "--validation-images", "100", "--max-train-images", "300", "--width", "4",
            "--features", "knn,hidden", "--out", output, "--device", "cpu", "--threads", "1");
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Matches(@"^validation frames AUROC=\d+\.\d localisation=\d+\.\d$", LastLine(result.StdOut));
        Assert.Single(Regex.Matches(result.StdOut, "trained in"));
        Assert.True(File.Exists(Path.Combine(output, "bundle-knn", "manifest.json")));
        Assert.True(File.Exists(Path.Combine(output, "bundle-hidden", "manifest.json")));
        Assert.Empty(Directory.GetFiles(output, "*.png")); // validation mosaics are for choosing, not for showing
    }

    [Fact]
    public async Task Evaluate_frames_refuses_an_unknown_split_or_feature_kind()
    {
        var split = await CliHarness.RunAsync("evaluate", "frames", "--data", TestRepo.SharedData("fashion-mnist"), "--split", "holdout", "--frames", "4");
        Assert.Equal(1, split.ExitCode);
        Assert.Contains("--split must be test or validation", split.StdErr);
        var features = await CliHarness.RunAsync("evaluate", "frames", "--data", TestRepo.SharedData("fashion-mnist"), "--features", "knn,pixels", "--frames", "4", "--out", TempDir());
        Assert.Equal(1, features.ExitCode);
        Assert.Contains("features must be", features.StdErr);
    }

    [Fact]
    public async Task Evaluate_frames_refuses_a_folder_that_is_not_a_bundle()
    {
        var result = await CliHarness.RunAsync("evaluate", "frames", "--data", TestRepo.SharedData("fashion-mnist"), "--bundle", TempDir(), "--frames", "4");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a model bundle", result.StdErr);
    }
}
