namespace Vigil.Cli.Tests;

/// <summary><c>vigil simulate --fast-forward</c> against a real embedded silo: data time, not the clock.</summary>
public sealed class SimulateFastForwardTests
{
    [Fact]
    public async Task Ten_minutes_of_readings_pass_through_the_real_api_and_false_alerts_are_given_per_device_per_day()
    {
        await using var silo = await EmbeddedSilo.StartAsync("simulate-ff", "--Vigil:Auth:Enabled=false");
        string[] run = ["simulate", "--target", silo.Url, "--homes", "2", "--devices-per-home", "3", "--duration", "540", "--warmup", "60",
            "--anomalies", "1", "--fast-forward"];

        var withCameras = await CliHarness.RunAsync(run);
        Assert.Equal(1, withCameras.ExitCode);
        Assert.Contains("--cameras-per-home 0", withCameras.StdErr);

        var result = await CliHarness.RunAsync([.. run, "--cameras-per-home", "0"]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("3600 / 3600", result.StdOut); // 6 sensors × 600 s of readings, all accepted
        Assert.Contains("sensors: false alerts per device per day", result.StdOut);
        Assert.Contains("p99_ms=NaN", result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
    }
}
