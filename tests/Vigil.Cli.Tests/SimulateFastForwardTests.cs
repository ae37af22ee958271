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
        // Each sensor declared its kind before its readings, so its threshold starts from its kind's fleet prior.
        Assert.Equal("power", await KindAsync(silo, "home-00002", "power-1"));
        Assert.Equal("humidity", await KindAsync(silo, "home-00001", "humidity-1"));
    }

    [Fact]
    public async Task Without_device_kinds_the_sensors_declare_none()
    {
        await using var silo = await EmbeddedSilo.StartAsync("simulate-nokinds", "--Vigil:Auth:Enabled=false");
        var result = await CliHarness.RunAsync(["simulate", "--target", silo.Url, "--homes", "1", "--devices-per-home", "3", "--cameras-per-home", "0",
            "--duration", "60", "--warmup", "0", "--fast-forward", "--no-device-kinds"]);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Null(await KindAsync(silo, "home-00001", "power-1"));
    }

    private static async Task<string?> KindAsync(EmbeddedSilo silo, string home, string device)
    {
        using var http = new HttpClient { BaseAddress = new Uri(silo.Url) };
        using var json = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"/v1/homes/{home}/devices/{device}"));
        return json.RootElement.TryGetProperty("kind", out var kind) ? kind.GetString() : null;
    }
}
