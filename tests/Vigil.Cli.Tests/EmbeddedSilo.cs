using Microsoft.AspNetCore.Builder;
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
        var app = SiloApp.Build([.. LoopbackSilo.Args(clusterPrefix), .. settings, "--simulate", "0"]);
        await app.StartAsync();
        return new EmbeddedSilo(app, LoopbackSilo.Address(app));
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
