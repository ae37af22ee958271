using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Cli.Commands.ClusterBench;

/// <summary>
/// A local OTLP/HTTP endpoint (what a collector exposes on 4318) that accepts export requests and counts them, so
/// the tracing variants of <c>vigil bench cluster</c> pay the real cost of serialising and sending their spans.
/// It does not decode: the cost measured is the silo's, not a collector's.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _traceRequests, _traceBytes, _metricRequests;

    private OtlpSink()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            Interlocked.Add(ref _traceBytes, await DrainAsync(request));
            Interlocked.Increment(ref _traceRequests);
            return Results.Bytes([], "application/x-protobuf");
        });
        _app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            await DrainAsync(request);
            Interlocked.Increment(ref _metricRequests);
            return Results.Bytes([], "application/x-protobuf");
        });
        _app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
    }

    public string Endpoint { get; private set; } = "";

    public long TraceRequests => Interlocked.Read(ref _traceRequests);

    public long TraceBytes => Interlocked.Read(ref _traceBytes);

    public static async Task<OtlpSink> StartAsync()
    {
        var sink = new OtlpSink();
        await sink._app.StartAsync();
        sink.Endpoint = sink._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return sink;
    }

    private static async Task<long> DrainAsync(HttpRequest request)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0) total += read;
        return total;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
