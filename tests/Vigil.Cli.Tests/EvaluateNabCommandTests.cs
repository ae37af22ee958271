using System.Globalization;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil evaluate nab</c> end to end on a small NAB-shaped folder with tiny bundles trained by <c>vigil train</c>.</summary>
public sealed class EvaluateNabCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("vigil-evalnab-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } // best effort
    }

    private const string Profiles = """
        {"standard": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0}},
         "reward_low_FP_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0}},
         "reward_low_FN_rate": {"CostMatrix": {"tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.11, "tnWeight": 1.0}}}
        """;

    private static string Stamp(int i) => new DateTime(2026, 1, 1).AddMinutes(5 * i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private string MakeNabFolder()
    {
        var nab = Path.Combine(folder, "nab");
        // A clean rhythm with a burst at row 700 that its window covers.
        TrainSeriesCommandTests.WriteSeries(Path.Combine(nab, "data", "synthetic", "burst.csv"), 1_000,
            i => (10 + 3 * Math.Sin(i / 5.0) + (i is >= 700 and < 710 ? 12 : 0)).ToString(CultureInfo.InvariantCulture));
        TrainSeriesCommandTests.WriteSeries(Path.Combine(nab, "data", "synthetic", "quiet.csv"), 1_000);
        File.WriteAllText(Path.Combine(nab, "combined_windows.json"),
            $$"""{"synthetic/burst.csv": [["{{Stamp(690)}}.000000", "{{Stamp(740)}}.000000"]], "synthetic/quiet.csv": []}""");
        File.WriteAllText(Path.Combine(nab, "profiles.json"), Profiles);
        return nab;
    }

    [Fact]
    public async Task Evaluating_with_label_free_selection_writes_the_selection_nab_results_plots_a_category_table_and_ends_with_the_score_line()
    {
        var nab = MakeNabFolder();
        var models = Path.Combine(folder, "models");
        foreach (var kind in new[] { "lstm-dcnn", "autoencoder" })
        {
            var trained = await CliHarness.RunAsync("train", kind, "--data", Path.Combine(nab, "data"), "--out", Path.Combine(models, kind),
                "--window", "16", "--epochs", "2", "--device", "cpu", "--probationary-only");
            Assert.True(trained.ExitCode == 0, trained.StdErr);
        }
        var output = Path.Combine(folder, "out");

        var result = await CliHarness.RunAsync("evaluate", "nab", "--data", nab, "--detector", "ensemble", "--out", output, "--models", models, "--select");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = result.StdOut.TrimEnd().Split('\n');
        Assert.Matches(@"^NAB standard=-?\d+\.\d reward_low_FP_rate=-?\d+\.\d reward_low_FN_rate=-?\d+\.\d$", lines[^1].TrimEnd('\r'));
        Assert.Contains(lines, l => l.StartsWith("synthetic", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  chosen: ", StringComparison.Ordinal));
        var selection = File.ReadAllText(Path.Combine(output, "selection.json"));
        Assert.Contains("\"ensembleRule\"", selection);
        Assert.Contains("NAB labels never read", selection);
        var resultFile = Path.Combine(output, "ensemble", "synthetic", "ensemble_burst.csv");
        Assert.True(File.Exists(resultFile));
        var rows = File.ReadAllLines(resultFile);
        Assert.StartsWith("timestamp,value,anomaly_score,label", rows[0]);
        Assert.Equal(1_001, rows.Length);
        Assert.All(rows.Skip(1), r => Assert.InRange(double.Parse(r.Split(',')[2], CultureInfo.InvariantCulture), 0, 1));
        Assert.True(File.Exists(Path.Combine(output, "ensemble", "ensemble_standard_scores.csv")));
        Assert.True(new FileInfo(Path.Combine(output, "plots", "synthetic", "burst.png")).Length > 1_000);
    }

    /// <summary>An autoencoder bundle trained by <c>vigil train</c> on the NAB folder, its manifest made to look like one
    /// from before thresholds recorded what they were calibrated for (as the shipped bundles were), so that recording must recalibrate.</summary>
    private async Task<string> TrainLegacyAutoencoder(string nab, string models, bool probationaryOnly)
    {
        var dir = Path.Combine(models, "autoencoder");
        var trained = await CliHarness.RunAsync(["train", "autoencoder", "--data", Path.Combine(nab, "data"), "--out", dir,
            "--window", "16", "--epochs", "2", "--device", "cpu", .. (probationaryOnly ? new[] { "--probationary-only" } : [])]);
        Assert.True(trained.ExitCode == 0, trained.StdErr);
        var manifestPath = Path.Combine(dir, "manifest.json");
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        Assert.True(manifest["hyperparameters"]!.AsObject().Remove("thresholdCalibration"));
        // As an earlier ensemble run recorded it; a single-detector run compares no ensemble rules and must keep it.
        manifest["hyperparameters"]!["streamScoreSelection"] = new System.Text.Json.Nodes.JsonObject { ["ensembleRule"] = "Mean" };
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        return manifestPath;
    }

    [Fact]
    public async Task Recording_a_selection_recalibrates_the_threshold_for_the_error_it_records_and_keeps_the_weights()
    {
        var nab = MakeNabFolder();
        var models = Path.Combine(folder, "models");
        var manifestPath = await TrainLegacyAutoencoder(nab, models, probationaryOnly: true);
        var weightsSha = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!["weightsSha256"]!.GetValue<string>();

        var result = await CliHarness.RunAsync("evaluate", "nab", "--data", nab, "--detector", "autoencoder", "--out", Path.Combine(folder, "out"),
            "--models", models, "--select", "--record", "--no-plots");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("autoencoder: threshold recalibrated for the recorded error", result.StdOut);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var steps = manifest["hyperparameters"]!["scoredSteps"]!.GetValue<int>();
        Assert.Equal(steps, manifest["hyperparameters"]!["thresholdCalibration"]!["ScoredSteps"]!.GetValue<int>());
        Assert.Equal(manifest["hyperparameters"]!["streamScore"]!["ErrorFloor"]!.GetValue<double>(),
            manifest["hyperparameters"]!["thresholdCalibration"]!["ErrorFloor"]!.GetValue<double>());
        Assert.Contains(steps is > 0 and < 16 ? $"over the newest {steps} of 16 readings" : "over all 16 readings",
            manifest["threshold"]!["rule"]!.GetValue<string>());
        Assert.Equal(weightsSha, manifest["weightsSha256"]!.GetValue<string>());
        Assert.NotNull(manifest["evaluation"]!["nabStandard"]);
        Assert.Equal("Mean", manifest["hyperparameters"]!["streamScoreSelection"]!["ensembleRule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Recording_is_refused_before_the_evaluation_when_the_nab_rows_are_not_the_bundles_training_data()
    {
        var nab = MakeNabFolder();
        var models = Path.Combine(folder, "models");
        // Trained on whole files, not their probationary rows: another fingerprint.
        var manifestPath = await TrainLegacyAutoencoder(nab, models, probationaryOnly: false);
        var before = File.ReadAllBytes(manifestPath);
        var output = Path.Combine(folder, "out");

        var result = await CliHarness.RunAsync("evaluate", "nab", "--data", nab, "--detector", "autoencoder", "--out", output,
            "--models", models, "--select", "--record", "--no-plots");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(manifestPath, result.StdErr);
        Assert.Contains("trainingFingerprint", result.StdErr);
        Assert.Contains("nothing recorded", result.StdErr);
        Assert.Equal(before, File.ReadAllBytes(manifestPath));
        Assert.False(Directory.Exists(Path.Combine(output, "autoencoder")));
    }

    [Fact]
    public async Task A_missing_bundle_is_refused_naming_it()
    {
        var nab = MakeNabFolder();
        var result = await CliHarness.RunAsync("evaluate", "nab", "--data", nab, "--models", Path.Combine(folder, "no-models"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-models", result.StdErr);
        Assert.Contains("vigil train", result.StdErr);
    }

    [Fact]
    public async Task A_bad_row_in_a_nab_series_is_refused_naming_the_file_and_line()
    {
        var nab = MakeNabFolder();
        var bad = Path.Combine(nab, "data", "synthetic", "quiet.csv");
        var text = File.ReadAllLines(bad);
        text[10] = $"{Stamp(9)},Infinity";
        File.WriteAllLines(bad, text);
        var result = await CliHarness.RunAsync("evaluate", "nab", "--data", nab);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("quiet.csv", result.StdErr);
        Assert.Contains("11", result.StdErr);
    }
}
