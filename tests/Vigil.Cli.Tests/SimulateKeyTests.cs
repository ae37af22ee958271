using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Runtime.CompilerServices;
using Vigil.Access;
using Vigil.Silo;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil simulate --key</c> against a real embedded silo with access control on.</summary>
public sealed class SimulateKeyTests
{
    [Fact]
    public async Task Simulate_says_which_key_is_missing_or_wrong_and_runs_with_the_operator_key()
    {
        var folder = Directory.CreateTempSubdirectory("vigil-simulate-keys-").FullName;
        var keyFile = Path.Combine(folder, "keys.json");
        var (operatorKey, _) = ApiKeyFormat.Create(null, DateTimeOffset.UtcNow);
        var (homeKey, homeRecord) = ApiKeyFormat.Create("sim-home-0001", DateTimeOffset.UtcNow);
        await new FileApiKeyStore(keyFile).AddAsync(homeRecord);
        var app = SiloApp.Build(
        [
            "--Vigil:Http:Urls=http://127.0.0.1:0",
            $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
            $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
            $"--Vigil:Clustering:ClusterId=simulate-keys-{Guid.NewGuid():N}",
            $"--Vigil:Models:Path={Path.Combine(RepoRoot(), "models")}",
            $"--Vigil:Auth:OperatorKey={operatorKey}",
            $"--Vigil:Auth:KeyFile={keyFile}",
            "--Logging:LogLevel:Default=Warning",
            "--simulate", "0",
        ]);
        await app.StartAsync();
        try
        {
            var target = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            string[] run = ["simulate", "--target", target, "--homes", "1", "--devices-per-home", "1", "--cameras-per-home", "0",
                "--duration", "1", "--warmup", "0"];

            var none = await CliHarness.RunAsync(run);
            Assert.Equal(1, none.ExitCode);
            Assert.Contains("needs an API key", none.StdErr);

            var wrong = await CliHarness.RunAsync([.. run, "--key", ApiKeyFormat.Create(null, DateTimeOffset.UtcNow).Key]);
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("refused the key", wrong.StdErr);

            var home = await CliHarness.RunAsync([.. run, "--key", homeKey]);
            Assert.Equal(1, home.ExitCode);
            Assert.Contains("is a home key", home.StdErr);

            var ok = await CliHarness.RunAsync([.. run, "--key", operatorKey]);
            Assert.True(ok.ExitCode == 0, ok.StdErr);
            Assert.DoesNotContain("×401", ok.StdOut);
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }


    private static string RepoRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}
