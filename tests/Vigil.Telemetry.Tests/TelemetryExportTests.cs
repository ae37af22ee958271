using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Vigil.Telemetry.Tests.Otlp;

namespace Vigil.Telemetry.Tests;

public sealed class TelemetryExportTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddVigilTelemetry(siloAddress: "127.0.0.1:11111");
        return builder.Build();
    }

    [Fact]
    public async Task Spans_and_histograms_reach_a_real_otlp_http_endpoint()
    {
        await using var receiver = await OtlpHttpReceiver.StartAsync();
        using var host = BuildHost(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "vigil-test",
            ["Vigil:Telemetry:TraceSampleRatio"] = "1.0",
        });
        await host.StartAsync();

        using (var activity = VigilDiagnostics.ActivitySource.StartActivity("device.score"))
        {
            Assert.NotNull(activity);
            activity.SetTag(VigilDiagnostics.Tags.Home, "home-1");
        }
        VigilDiagnostics.InferenceDuration.Record(3.5);
        VigilDiagnostics.InferenceBatchSize.Record(17);

        host.Services.GetRequiredService<TracerProvider>().ForceFlush();
        host.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.True(await receiver.WaitForAsync(() => receiver.Spans.Any(s => s.Name == "device.score"), TimeSpan.FromSeconds(10)));
        var span = receiver.Spans.First(s => s.Name == "device.score");
        Assert.Equal("home-1", span.Attributes[VigilDiagnostics.Tags.Home]);
        Assert.Equal("vigil-test", span.Resource["service.name"]);
        Assert.Equal("127.0.0.1:11111", span.Resource["vigil.silo.address"]);

        Assert.True(await receiver.WaitForAsync(
            () => receiver.Histograms.Any(h => h.Metric == "vigil.inference.duration" && h.Count > 0), TimeSpan.FromSeconds(10)));
        Assert.Equal("ms", receiver.Histograms.First(h => h.Metric == "vigil.inference.duration").Unit);
        Assert.Contains(receiver.Histograms, h => h.Metric == "vigil.inference.batch_size" && h.Count > 0 && h.Sum >= 17);
        await host.StopAsync();
    }

    [Fact]
    public async Task Without_an_endpoint_nothing_is_exported_and_nothing_fails()
    {
        using var host = BuildHost(new() { ["Vigil:Telemetry:TraceSampleRatio"] = "1.0" });
        await host.StartAsync();
        using (VigilDiagnostics.ActivitySource.StartActivity("device.score")) { }
        VigilDiagnostics.InferenceDuration.Record(1);
        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush());
        Assert.False(TelemetryExtensions.HasOtlpEndpoint(host.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        await host.StopAsync();
    }

    [Fact]
    public async Task Sampling_ratio_zero_records_no_root_spans()
    {
        using var host = BuildHost(new() { ["Vigil:Telemetry:TraceSampleRatio"] = "0" });
        await host.StartAsync();
        using var activity = VigilDiagnostics.ActivitySource.StartActivity("device.score");
        Assert.True(activity is null || !activity.Recorded);
        await host.StopAsync();
    }

    [Fact]
    public void A_ratio_outside_0_to_1_is_refused_naming_the_key()
    {
        var e = Assert.Throws<InvalidOperationException>(() => BuildHost(new() { ["Vigil:Telemetry:TraceSampleRatio"] = "1.5" }));
        Assert.Contains("Vigil:Telemetry:TraceSampleRatio", e.Message);
    }
}
