using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Silo;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil simulate --fast-forward</c> against a real embedded silo: data time, not the clock.</summary>
public sealed class SimulateFastForwardTests
{
    [Fact]
    public async Task Ten_minutes_of_readings_pass_through_the_real_api_and_false_alerts_are_given_per_device_per_day()
    {
        var app = SiloApp.Build(
        [
            "--Vigil:Http:Urls=http://127.0.0.1:0",
            $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
            $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
            $"--Vigil:Clustering:ClusterId=simulate-ff-{Guid.NewGuid():N}",
            $"--Vigil:Models:Path={Path.Combine(RepoRoot(), "models")}",
            "--Vigil:Auth:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            "--simulate", "0",
        ]);
        await app.StartAsync();
        try
        {
            var target = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            string[] run = ["simulate", "--target", target, "--homes", "2", "--devices-per-home", "3", "--duration", "540", "--warmup", "60",
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
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    private static string RepoRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}
