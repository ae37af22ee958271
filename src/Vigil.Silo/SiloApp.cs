using Vigil.Detectors.Runtime;
using Vigil.Silo.Apis;
using Vigil.Silo.Configuration;
using Vigil.Silo.Hosting;
using Vigil.Telemetry;

namespace Vigil.Silo;

/// <summary>Composes the silo host: Orleans, the HTTP API and health endpoints, from configuration.</summary>
public static class SiloApp
{
    /// <summary>Command-line shorthands for configuration keys.</summary>
    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--simulate"] = $"{SimulatorOptions.Section}:Homes",
        ["--auth"] = Vigil.Silo.Access.AuthOptions.EnabledKey,
    };

    /// <summary>
    /// Lowest-priority log levels: the embedded default's console shows Vigil's lines (detections, the simulator,
    /// model loads) and warnings, not a line per request. Any configuration source overrides them.
    /// </summary>
    private static readonly Dictionary<string, string?> QuietLogging = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:System.Net.Http"] = "Warning",
    };

    public static WebApplication Build(string[] args)
    {
        TorchRuntime.EnsureInitialised();
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = QuietLogging });
        builder.Configuration.AddCommandLine(args, Switches);
        var settings = HostSettings.Read(builder.Configuration);

        builder.AddVigilDefaults(settings)
            .AddVigilHttp(settings)
            .AddVigilOrleans(settings)
            .AddVigilShutdown()
            .AddVigilServices(settings)
            .AddVigilDashboard()
            .AddVigilTelemetry(settings.SiloAddress);

        var app = builder.Build();
        app.Logger.LogInformation("Runtime: {Settings}", JitAndGcSettings.Describe());
        app.UseVigilHttp();
        app.MapHealthApi()
            .MapReadingsApi()
            .MapCamerasApi()
            .MapDevicesApi()
            .MapAlertsApi();
        app.MapVigilDashboard();
        return app;
    }
}
