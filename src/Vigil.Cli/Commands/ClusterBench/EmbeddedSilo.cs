using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Silo;
using Vigil.Shared;

namespace Vigil.Cli.Commands.ClusterBench;

/// <summary>How one bench variant configures its silo.</summary>
internal sealed record SiloVariant(string Name, int MaxBatchSize, double TraceSampleRatio);

/// <summary>
/// The real Vigil host (<see cref="SiloApp"/>) in this process: Kestrel on a free loopback port, Orleans localhost
/// clustering on free ports, the given bundles, simulator off. One per variant, so each starts from empty grains.
/// </summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedSilo(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The operator key every bench silo is started with: auth stays on, so the bench measures the path
    /// production requests take (key check included). Clients send it as <c>X-Vigil-Key</c>.</summary>
    public static readonly string OperatorKey = Vigil.Access.ApiKeyFormat.Create(null, DateTimeOffset.UtcNow).Key;

    public static async Task<EmbeddedSilo> StartAsync(SiloVariant variant, string modelsPath, string detector, string otlpEndpoint, CancellationToken ct)
    {
        var app = SiloApp.Build(
        [
            "--Vigil:Http:Urls=http://127.0.0.1:0",
            $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
            $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
            $"--Vigil:Clustering:ClusterId=bench-{Guid.NewGuid():N}",
            $"--Vigil:Models:Path={Path.GetFullPath(modelsPath)}",
            $"--Vigil:Auth:OperatorKey={OperatorKey}",
            $"--Vigil:Scoring:Detector={detector}",
            $"--Vigil:Batching:MaxBatchSize={variant.MaxBatchSize.ToString(CultureInfo.InvariantCulture)}",
            $"--Vigil:Telemetry:TraceSampleRatio={variant.TraceSampleRatio.ToString("R", CultureInfo.InvariantCulture)}",
            // Every variant exports to the same local receiver, so the variants differ only in what they sample.
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={otlpEndpoint}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_SERVICE_NAME=vigil-bench",
            // The bench's table goes to stdout; the silo's own lines (warnings only) go to stderr.
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            "--Logging:Console:LogToStandardErrorThreshold=Trace",
            "--simulate", "0",
        ]);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EmbeddedSilo(app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>Polls <c>/readyz</c> until the model grains have loaded their bundles.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri(Address, "readyz"), ct);
            if (response.IsSuccessStatusCode) return;
            last = await response.Content.ReadAsStringAsync(ct);
            await Task.Delay(250, ct);
        }
        throw new CliUserException($"the embedded silo was not ready after {timeout.TotalSeconds:F0} s: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
