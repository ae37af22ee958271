using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil simulate --fast-forward</c> against a real embedded silo: data time, not the clock.</summary>
public sealed class SimulateFastForwardTests
{
    [Fact]
    public async Task Ten_minutes_of_readings_and_frames_pass_through_the_real_api_and_false_alerts_are_given_per_device_per_day()
    {
        await using var silo = await EmbeddedSilo.StartAsync("simulate-ff", "--Vigil:Auth:Enabled=false");
        string[] run = ["simulate", "--target", silo.Url, "--homes", "2", "--devices-per-home", "3", "--cameras-per-home", "1",
            "--duration", "540", "--warmup", "60", "--anomalies", "1", "--fast-forward"];

        var result = await CliHarness.RunAsync(run);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("3600 / 3600", result.StdOut); // 6 sensors × 600 s of readings, all accepted
        Assert.Contains("120 / 120", result.StdOut);   // 2 cameras × a frame every 10 s, all accepted: in order, in data time
        Assert.Contains("sensors: false alerts per device per day", result.StdOut);
        foreach (var kind in new[] { "temperature (2)", "humidity (2)", "power (2)" }) // and which kinds spend them
            Assert.True(Regex.IsMatch(result.StdOut, $@"{Regex.Escape(kind)}: found / false per device-day\s*│\s*\d+ of \d+ / \d+\.\d\d"), result.StdOut);
        Assert.Contains("cameras: false alerts per camera per day", result.StdOut);
        Assert.Contains("p99_ms=NaN", result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }
}
