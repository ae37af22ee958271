namespace Vigil.Deploy.Tests.Support;

/// <summary>
/// The silo configuration the project agreed on (the team brief, section "Silo configuration"), and the
/// non-Vigil environment variables a silo container may carry. The silo's own options classes are the first
/// authority (<see cref="SiloSource"/>); this list is what they must at least provide.
/// </summary>
public static class AgreedConfiguration
{
    public static readonly string[] Keys =
    [
        "Vigil:Clustering:Mode", "Vigil:Clustering:ClusterId", "Vigil:Clustering:ServiceId",
        "Vigil:Redis:ConnectionString",
        "Vigil:Orleans:SiloPort", "Vigil:Orleans:GatewayPort", "Vigil:Orleans:AdvertisedIP",
        "Vigil:Http:Urls",
        "Vigil:Silo:Accelerator", "Vigil:Silo:Device",
        "Vigil:Models:Path", "Vigil:Models:Source",
        "Vigil:Batching:MaxBatchSize", "Vigil:Batching:MaxQueueDelayMs", "Vigil:Batching:MaxQueueLength", "Vigil:Batching:SlotsPerModel",
        "Vigil:Simulator:Homes",
        "Vigil:Telemetry:TraceSampleRatio",
    ];

    /// <summary>Read by Orleans' Kubernetes hosting (KubernetesHostingOptions), the OpenTelemetry SDK and the .NET host.</summary>
    public static readonly string[] OtherEnvironment =
    [
        "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
        "DOTNET_SHUTDOWNTIMEOUTSECONDS",
    ];

    /// <summary>The agreed health routes (team brief: <c>GET /healthz</c> process alive, <c>GET /readyz</c> model grains loaded).</summary>
    public static readonly string[] HealthRoutes = ["/healthz", "/readyz"];

    /// <summary>Routes the probes may use: the silo's MapGet routes once its host code exists, else the agreed ones.</summary>
    public static IReadOnlySet<string> SiloRoutes =>
        SiloSource.Instance.SiloOptionsClasses > 0 ? SiloSource.Instance.GetRoutes : HealthRoutes.ToHashSet();

    /// <summary>.NET's default <c>HostOptions.ShutdownTimeout</c> (30 s since .NET 6).</summary>
    public const int DotnetDefaultShutdownSeconds = 30;

    /// <summary>The keys a silo may be given: what the sources read once the silo project has options classes
    /// (they and the libraries it hosts: grains, telemetry), else the agreed list.</summary>
    public static IReadOnlyDictionary<string, ConfigKey> SiloKeys =>
        SiloSource.Instance.SiloOptionsClasses > 0
            ? SiloSource.Instance.Keys
            : Keys.ToDictionary(k => k, k => new ConfigKey(k, null, "team brief"), StringComparer.OrdinalIgnoreCase);
}
