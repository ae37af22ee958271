using System.Globalization;
using System.Text.Json;

namespace Vigil.Cli.Tests;

public sealed class TrainSeriesCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("vigil-train-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { } // best effort
    }

    internal static string WriteSeries(string path, int rows, Func<int, string>? value = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path);
        writer.WriteLine("timestamp,value");
        for (var i = 0; i < rows; i++)
            writer.WriteLine($"{new DateTime(2026, 1, 1).AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss}," +
                             (value?.Invoke(i) ?? (10 + 3 * Math.Sin(i / 5.0)).ToString(CultureInfo.InvariantCulture)));
        return path;
    }

    [Theory]
    [InlineData("lstm-dcnn", 1)]
    [InlineData("autoencoder", 0)]
    public async Task Training_writes_a_bundle_with_its_manifest_threshold_and_fingerprint(string kind, int horizon)
    {
        var data = WriteSeries(Path.Combine(folder, "data", "a.csv"), 400);
        var output = Path.Combine(folder, kind);

        var result = await CliHarness.RunAsync("train", kind, "--data", Path.Combine(folder, "data"), "--out", output,
            "--window", "16", "--epochs", "2", "--device", "cpu");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("epoch   1/2", result.StdOut);
        Assert.Contains("threshold: raw", result.StdOut);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        var root = manifest.RootElement;
        Assert.Equal(kind, root.GetProperty("kind").GetString());
        Assert.Equal(16, root.GetProperty("window").GetInt32());
        Assert.Equal(horizon, root.GetProperty("horizon").GetInt32());
        Assert.Contains("percentile", root.GetProperty("threshold").GetProperty("rule").GetString());
        Assert.Equal(64, root.GetProperty("trainingFingerprint").GetString()!.Length);
        Assert.True(File.Exists(Path.Combine(output, "weights.bin")));
        Assert.True(File.Exists(data));
    }

    [Fact]
    public async Task A_non_finite_value_is_refused_naming_the_file_and_line()
    {
        var data = WriteSeries(Path.Combine(folder, "bad.csv"), 100, i => i == 41 ? "NaN" : "1.5");
        var result = await CliHarness.RunAsync("train", "lstm-dcnn", "--data", data, "--out", Path.Combine(folder, "out"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(data, result.StdErr);
        Assert.Contains("line 43", result.StdErr);
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
    }

    [Fact]
    public async Task A_window_larger_than_the_series_is_refused_naming_the_file()
    {
        var data = WriteSeries(Path.Combine(folder, "short.csv"), 30);
        var result = await CliHarness.RunAsync("train", "autoencoder", "--data", data, "--out", Path.Combine(folder, "out"), "--window", "60");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("short.csv", result.StdErr);
        Assert.Contains("window larger than the series", result.StdErr);
    }

    [Theory]
    [InlineData("timestamp,value\n", "no data rows")]
    [InlineData("", "empty")]
    [InlineData("when,value\n2026-01-01 00:00:00,1\n", "line 1")]
    [InlineData("timestamp,value\n2026-01-01 00:00:00,1\nnot-a-time,2\n", "line 3")]
    public async Task Empty_files_missing_columns_and_bad_timestamps_are_refused(string content, string expected)
    {
        var path = Path.Combine(folder, "input.csv");
        File.WriteAllText(path, content);
        var result = await CliHarness.RunAsync("train", "lstm-dcnn", "--data", path, "--out", Path.Combine(folder, "out"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(path, result.StdErr);
        Assert.Contains(expected, result.StdErr);
    }

    [Fact]
    public async Task A_missing_data_path_is_refused()
    {
        var result = await CliHarness.RunAsync("train", "lstm-dcnn", "--data", Path.Combine(folder, "nowhere"), "--out", Path.Combine(folder, "out"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nowhere", result.StdErr);
    }
}
