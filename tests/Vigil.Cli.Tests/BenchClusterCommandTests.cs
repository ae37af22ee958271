using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

public sealed class BenchClusterCommandTests
{
    private static string Models([CallerFilePath] string sourceFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "..", "models"));

    [Fact]
    public async Task Tiny_run_measures_every_variant_through_the_embedded_silo_and_prints_the_ratios()
    {
        var result = await CliHarness.RunAsync("bench", "cluster", "--models", Models(),
            "--devices", "12", "--concurrency", "3", "--seconds", "1.5", "--warmup", "0.5");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var output = result.StdOut;

        Assert.Matches(@"raw lstm-dcnn .*batch 1 = [\d,]+ windows/s, batch 64 = [\d,]+ windows/s", output);
        // One row per variant, each with readings actually scored through the silo (a positive rate).
        foreach (var variant in new[] { "batched, sampling 0 ", "unbatched, sampling 0 ", "batched, sampling 0.01", "batched, sampling 1.0" })
        {
            var row = output.Split('\n').SingleOrDefault(l => l.StartsWith(variant, StringComparison.Ordinal));
            Assert.True(row is not null, $"no row for '{variant}' in:\n{output}");
            var rate = double.Parse(Regex.Match(row![27..], @"\d+").Value, CultureInfo.InvariantCulture);
            Assert.True(rate > 0, $"'{variant}' scored nothing: {row}");
        }
        // Sampling everything exports spans to the local OTLP receiver; sampling nothing exports none.
        Assert.Matches(@"batched, sampling 1\.0 .* [1-9]\d* \(\d+ KiB\)", output);
        Assert.Matches(@"batched, sampling 0 .* 0 \(0 KiB\)", output);
        Assert.Matches(@"batching: batched/unbatched = \d+\.\d\dx \(target >= 5x\)", output);
        Assert.Matches(@"tracing cost: sampling 0\.01 = \d+\.\d ?% and sampling 1\.0 = \d+\.\d ?% of sampling 0 throughput", output);
        Assert.Matches(@"full path: \d+ readings/s = \d+\.\d ?% of raw batched lstm-dcnn \(\d+ windows/s at batch 64\) \(target >= 50%\)", output);
    }

    [Fact]
    public async Task An_unknown_detector_is_refused_in_one_line()
    {
        var result = await CliHarness.RunAsync("bench", "cluster", "--models", Models(), "--detector", "frame-cnn");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--detector must be lstm-dcnn or autoencoder", result.StdErr);
    }
}
