using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Vigil.Telemetry;
using Vigil.Telemetry.Tests.Otlp;
using Tags = Vigil.Telemetry.VigilDiagnostics.Tags;

namespace Vigil.Silo.Tests;

/// <summary>
/// The whole OpenTelemetry path of a real silo: readings posted to its HTTP API produce one trace (HTTP server span →
/// device grain's scoring span) and a model batch span linked to that trace, exported with the inference histograms
/// over OTLP/HTTP protobuf to a real receiver on a loopback port.
/// </summary>
public sealed class TelemetryEndToEndTests
{
    /// <summary>lstm-dcnn scores windows of 60 readings + 1 forecast step: 61 readings give each device one scoring.</summary>
    private const int ReadingsPerDevice = 61;

    [Fact]
    public async Task One_trace_runs_from_the_http_request_through_the_device_grain_to_a_linked_model_batch()
    {
        await using var receiver = await OtlpHttpReceiver.StartAsync();
        var app = SiloApp.Build(
        [
            .. LoopbackSilo.Args("otel-tests"),
            "--Vigil:Telemetry:TraceSampleRatio=1",
            $"--Vigil:Auth:OperatorKey={SiloFixture.OperatorKey}",
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Endpoint}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_SERVICE_NAME=vigil-otel-test",
            "--simulate", "0",
        ]);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(LoopbackSilo.Address(app)), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Add(Vigil.Access.ApiKeyAuthenticator.Header, SiloFixture.OperatorKey);
            await WaitReadyAsync(client);

            var home = ApiTestHelpers.UniqueId("otel-home");
            string[] devices = ["temperature", "humidity", "power"];
            var response = await client.PostNdjsonAsync(Ndjson(home, devices));
            await ApiTestHelpers.AssertJsonAsync(response, HttpStatusCode.Accepted);

            app.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000);
            app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);

            // The device spans of this home, then the trace they belong to.
            Assert.True(await receiver.WaitForAsync(
                () => receiver.Spans.Count(s => s.Name == "vigil.device.score" && Is(s, Tags.Home, home)) == devices.Length, TimeSpan.FromSeconds(20)),
                $"expected {devices.Length} vigil.device.score spans for {home}; got spans: {string.Join(", ", receiver.Spans.Select(s => s.Name).Distinct())}");
            var deviceSpans = receiver.Spans.Where(s => s.Name == "vigil.device.score" && Is(s, Tags.Home, home)).ToList();
            var traceId = deviceSpans[0].TraceId;
            Assert.All(deviceSpans, s => Assert.Equal(traceId, s.TraceId));

            // ONE trace: the HTTP server span of the request is the root of the device spans.
            Assert.True(await receiver.WaitForAsync(() => receiver.Spans.Any(s => s.TraceId == traceId && Is(s, "url.path", "/v1/readings")), TimeSpan.FromSeconds(10)),
                "the HTTP server span of POST /v1/readings was not exported in the device spans' trace");
            var httpSpan = receiver.Spans.Single(s => s.TraceId == traceId && Is(s, "url.path", "/v1/readings"));
            Assert.Equal("", httpSpan.ParentSpanId);
            Assert.Equal("POST", httpSpan.Attributes["http.request.method"]);
            var trace = receiver.Spans.Where(s => s.TraceId == traceId).ToDictionary(s => s.SpanId);
            foreach (var span in deviceSpans)
            {
                Assert.Equal(httpSpan.SpanId, RootOf(span, trace).SpanId);
                Assert.Equal(devices.Length, deviceSpans.Select(d => d.Attributes[Tags.Device]).Distinct().Count());
                Assert.Equal("lstm-dcnn", span.Attributes[Tags.Detector]);
                Assert.False(string.IsNullOrEmpty(span.Attributes[Tags.Version] as string));
                Assert.InRange(Convert.ToDouble(span.Attributes[Tags.Score], CultureInfo.InvariantCulture), 0, 1);
                Assert.IsType<bool>(span.Attributes[Tags.Alert]);
            }

            // The batch span: a root of its own, linked to the spans of the requests it served (here, in our trace).
            Assert.True(await receiver.WaitForAsync(
                () => receiver.Spans.Any(s => s.Name == "vigil.model.batch" && s.Links.Any(l => l.TraceId == traceId)), TimeSpan.FromSeconds(10)),
                "no vigil.model.batch span links to the request's trace");
            var batches = receiver.Spans.Where(s => s.Name == "vigil.model.batch" && s.Links.Any(l => l.TraceId == traceId)).ToList();
            var linked = batches.SelectMany(b => b.Links).Where(l => l.TraceId == traceId).ToList();
            Assert.Equal(devices.Length, linked.Count);
            Assert.All(linked, l => Assert.True(trace.ContainsKey(l.SpanId), "a batch links to a span that is not part of the request's trace"));
            Assert.All(linked, l => Assert.Equal(httpSpan.SpanId, RootOf(trace[l.SpanId], trace).SpanId));
            foreach (var batch in batches)
            {
                Assert.Equal("", batch.ParentSpanId);
                Assert.NotEqual(traceId, batch.TraceId);
                Assert.Equal("lstm-dcnn", batch.Attributes[Tags.Detector]);
                Assert.False(string.IsNullOrEmpty(batch.Attributes[Tags.Version] as string));
                Assert.InRange(Convert.ToInt64(batch.Attributes[Tags.BatchSize], CultureInfo.InvariantCulture), 1, 64);
                Assert.True(Convert.ToDouble(batch.Attributes[Tags.QueueWaitMs], CultureInfo.InvariantCulture) >= 0);
                Assert.True(Convert.ToDouble(batch.Attributes[Tags.ForwardMs], CultureInfo.InvariantCulture) > 0);
                Assert.Equal("cpu", batch.Attributes[Tags.ComputeDevice]);
            }
            Assert.Equal("vigil-otel-test", httpSpan.Resource["service.name"]);
            Assert.Matches(@"^127\.0\.0\.1:\d+$", (string)httpSpan.Resource["vigil.silo.address"]);
            Assert.Equal(true, httpSpan.Resource["vigil.accelerator"]);

            // The request carried the operator key: no span attribute or resource value may hold its secret.
            Vigil.Access.ApiKeyFormat.TryParse(SiloFixture.OperatorKey, out _, out var secret);
            Assert.DoesNotContain(receiver.Spans, s => s.Attributes.Values.Concat(s.Resource.Values)
                .Any(v => Convert.ToString(v, CultureInfo.InvariantCulture)!.Contains(secret, StringComparison.Ordinal)));

            // The histograms, with the readings of this request in them.
            string[] histograms = ["vigil.inference.duration", "vigil.inference.queue_wait", VigilDiagnostics.InferenceBatchSizeName, "vigil.ingest.to_score"];
            Assert.True(await receiver.WaitForAsync(() => histograms.All(h => receiver.Histograms.Any(p => p.Metric == h && p.Count > 0)), TimeSpan.FromSeconds(20)),
                $"histograms with counts: {string.Join(", ", receiver.Histograms.Where(p => p.Count > 0).Select(p => p.Metric).Distinct())}");
            Assert.All(histograms.Where(h => h != VigilDiagnostics.InferenceBatchSizeName),
                h => Assert.Equal("ms", receiver.Histograms.First(p => p.Metric == h).Unit));
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    private static bool Is(ReceivedSpan span, string key, string value) =>
        span.Attributes.TryGetValue(key, out var v) && v as string == value;

    /// <summary>Follows parent ids within the trace up to its root; fails if the chain breaks.</summary>
    private static ReceivedSpan RootOf(ReceivedSpan span, IReadOnlyDictionary<string, ReceivedSpan> trace)
    {
        var current = span;
        while (current.ParentSpanId != "")
        {
            Assert.True(trace.TryGetValue(current.ParentSpanId, out var parent),
                $"span {current.Name} has parent {current.ParentSpanId}, which is not in the exported trace");
            current = parent;
        }
        return current;
    }

    private static string Ndjson(string home, string[] devices)
    {
        var start = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        var body = new StringBuilder();
        for (var i = 0; i < ReadingsPerDevice; i++)
            foreach (var device in devices)
                body.Append(CultureInfo.InvariantCulture,
                    $"{{\"home\":\"{home}\",\"device\":\"{device}\",\"t\":\"{start.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{20 + Math.Sin(i / 4.0) + device.Length:0.###}}}\n");
        return body.ToString();
    }

    private static async Task WaitReadyAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            using var ready = await client.GetAsync("/readyz");
            if (ready.IsSuccessStatusCode) return;
            await Task.Delay(250);
        }
        Assert.Fail("the silo's model grains did not load within 120 s");
    }
}
