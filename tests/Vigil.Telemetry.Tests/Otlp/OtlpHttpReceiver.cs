using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Telemetry.Tests.Otlp;

/// <summary>
/// A real OTLP/HTTP (protobuf) receiver on a free loopback port: the endpoint an OpenTelemetry collector would
/// expose on 4318, decoding what it receives so tests can assert on it.
/// </summary>
public sealed class OtlpHttpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();
    public ConcurrentQueue<ReceivedHistogramPoint> Histograms { get; } = new();
    public ConcurrentQueue<ReceivedSumPoint> Sums { get; } = new();
    public string Endpoint { get; private set; } = "";

    private OtlpHttpReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            foreach (var span in OtlpDecoder.DecodeTraces(await ReadBody(request))) Spans.Enqueue(span);
            return Results.Bytes([], "application/x-protobuf");
        });
        _app.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            var (histograms, sums) = OtlpDecoder.DecodeMetrics(await ReadBody(request));
            foreach (var h in histograms) Histograms.Enqueue(h);
            foreach (var s in sums) Sums.Enqueue(s);
            return Results.Bytes([], "application/x-protobuf");
        });
        _app.MapPost("/v1/logs", () => Results.Bytes([], "application/x-protobuf"));
    }

    public static async Task<OtlpHttpReceiver> StartAsync()
    {
        var receiver = new OtlpHttpReceiver();
        await receiver._app.StartAsync();
        var addresses = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        receiver.Endpoint = addresses.Addresses.Single();
        return receiver;
    }

    private static async Task<byte[]> ReadBody(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Polls until <paramref name="condition"/> holds or the timeout passes (exports are batched).</summary>
    public async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(100);
        }
        return condition();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
