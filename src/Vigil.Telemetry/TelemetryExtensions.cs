using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Vigil.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Sources Orleans emits when activity propagation is on.</summary>
    public static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// Traces (Vigil, ASP.NET Core, Orleans; parent-based ratio sampling, batch spans kept with the traces they link to) and metrics (Vigil, Orleans) with
    /// millisecond buckets. Exports over OTLP only when an <c>OTEL_EXPORTER_OTLP_*ENDPOINT</c> is configured
    /// (protocol from <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>: grpc or http/protobuf); otherwise nothing is exported.
    /// </summary>
    public static IHostApplicationBuilder AddVigilTelemetry(this IHostApplicationBuilder builder, string? siloAddress = null)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.TraceSampleRatio is < 0 or > 1)
            throw new InvalidOperationException(
                $"{TelemetryOptions.Section}:TraceSampleRatio must lie in [0, 1], not {options.TraceSampleRatio}.");
        var accelerator = builder.Configuration.GetValue<bool?>("Vigil:Silo:Accelerator") ?? options.Accelerator;

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                resource.AddService(serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? "vigil");
                var attributes = new Dictionary<string, object> { ["vigil.accelerator"] = accelerator };
                if (siloAddress is not null) attributes["vigil.silo.address"] = siloAddress;
                if (builder.Configuration["POD_NAME"] is { Length: > 0 } pod) attributes["k8s.pod.name"] = pod;
                resource.AddAttributes(attributes);
            })
            .WithTracing(tracing => tracing
                .SetSampler(new LinkAwareSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.TraceSampleRatio))))
                .AddSource(VigilDiagnostics.Name)
                .AddSource(OrleansActivitySources)
                .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                    !http.Request.Path.StartsWithSegments("/healthz") && !http.Request.Path.StartsWithSegments("/readyz")))
            .WithMetrics(metrics => metrics
                .AddMeter(VigilDiagnostics.Name)
                .AddMeter("Microsoft.Orleans")
                .AddView(instrument => instrument.Meter.Name == VigilDiagnostics.Name && instrument.Unit == "ms"
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = VigilDiagnostics.MillisecondBuckets }
                    : instrument.Name == VigilDiagnostics.InferenceBatchSizeName
                        ? new ExplicitBucketHistogramConfiguration { Boundaries = VigilDiagnostics.BatchSizeBuckets }
                        : null));

        if (HasOtlpEndpoint(builder.Configuration)) otel.UseOtlpExporter();
        return builder;
    }

    internal static bool HasOtlpEndpoint(IConfiguration configuration) =>
        new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT" }
            .Any(key => !string.IsNullOrWhiteSpace(configuration[key]));
}
