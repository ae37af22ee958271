using Vigil.Detectors.Evaluation.Nab;

namespace Vigil.Cli.Tests;

/// <summary>The real <c>vigil nab score</c> process on the shared NAB copy.</summary>
public sealed class NabScoreCommandTests
{
    private static readonly string NabRoot = TestRepo.SharedData("nab");

    [Fact]
    public async Task Scores_a_reference_detector_and_prints_the_summary_line_last()
    {
        var results = Path.Combine(NabRoot, "results", "knncad");
        var summaries = Directory.CreateTempSubdirectory("vigil-nab-summaries-");
        var run = await CliHarness.RunAsync("nab", "score", "--data", NabRoot, "--results", results, "--summary-out", summaries.FullName);
        Assert.True(run.ExitCode == 0, run.StdErr);

        // NAB's per-profile _scores.csv: a header, one row per series, and the Totals row.
        var standard = File.ReadAllLines(Path.Combine(summaries.FullName, "knncad_standard_scores.csv"));
        summaries.Delete(recursive: true);
        Assert.Equal(NabCorpus.Load(NabRoot).Series.Count + 2, standard.Length);
        Assert.StartsWith("Totals,", standard[^1]);

        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Matches(@"^NAB standard=-?\d+\.\d reward_low_FP_rate=-?\d+\.\d reward_low_FN_rate=-?\d+\.\d$", lines[^1]);
        Assert.Equal(NabScorer.ScoreResultsFolder(NabRoot, results).SummaryLine(), lines[^1]);
        Assert.Contains("realAdExchange", run.StdOut);
        Assert.Contains("reward_low_FN_rate", run.StdOut);
    }

    [Fact]
    public async Task A_results_folder_without_the_files_fails_naming_the_missing_file()
    {
        var empty = Directory.CreateTempSubdirectory("vigil-nab-results-");
        try
        {
            var run = await CliHarness.RunAsync("nab", "score", "--data", NabRoot, "--results", empty.FullName);
            Assert.Equal(1, run.ExitCode);
            Assert.Matches(@"vigil: .*/artificialNoAnomaly/vigil-nab-results-\w+_art_daily_no_noise\.csv: missing", run.StdErr);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Missing_results_option_is_refused()
    {
        var run = await CliHarness.RunAsync("nab", "score", "--data", NabRoot);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--results", run.StdErr);
    }

}
