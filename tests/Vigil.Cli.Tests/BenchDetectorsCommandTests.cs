namespace Vigil.Cli.Tests;

/// <summary><c>vigil bench detectors</c> on a models folder that holds only an autoencoder bundle.</summary>
public sealed class BenchDetectorsCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("vigil-benchdet-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } // best effort
    }

    [Fact]
    public async Task Measures_every_batch_size_of_the_bundle_it_finds_against_gemm_and_names_the_missing_one()
    {
        var models = Path.Combine(folder, "models");
        var data = TrainSeriesCommandTests.WriteSeries(Path.Combine(folder, "data", "a.csv"), 400);
        var trained = await CliHarness.RunAsync("train", "autoencoder", "--data", data, "--out", Path.Combine(models, "autoencoder"),
            "--window", "16", "--epochs", "1", "--device", "cpu");
        Assert.True(trained.ExitCode == 0, trained.StdErr);

        var result = await CliHarness.RunAsync("bench", "detectors", "--models", models, "--device", "cpu", "--seconds", "0.05");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = result.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        foreach (var batch in new[] { 1, 16, 64, 256 })
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^autoencoder\s+{batch}\s+[\d,]+\s+[\d.]+\s+[\d.]+ ?%$"));
        Assert.Contains(lines, l => l.StartsWith("autoencoder: batch 64 = ", StringComparison.Ordinal) && l.Contains("of GEMM"));
        Assert.Contains(lines, l => l.StartsWith("GEMM again after the detectors", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("not measured", StringComparison.Ordinal) && l.Contains("lstm-dcnn"));
    }
}
