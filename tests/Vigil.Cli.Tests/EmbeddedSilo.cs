using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Silo;

namespace Vigil.Cli.Tests;

/// <summary>A real embedded silo in the test process (loopback ports, the shipped models, no simulator) for the CLI to drive.</summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedSilo(WebApplication app, string url) => (_app, Url) = (app, url);

    /// <summary>Base URL of the silo's HTTP API.</summary>
    public string Url { get; }

    public static async Task<EmbeddedSilo> StartAsync(string clusterPrefix, params string[] settings)
    {
        var app = SiloApp.Build(
        [
            "--Vigil:Http:Urls=http://127.0.0.1:0",
            $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
            $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
            $"--Vigil:Clustering:ClusterId={clusterPrefix}-{Guid.NewGuid():N}",
            $"--Vigil:Models:Path={Path.Combine(RepoRoot(), "models")}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
            "--simulate", "0",
        ]);
        await app.StartAsync();
        return new EmbeddedSilo(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private static string RepoRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}
