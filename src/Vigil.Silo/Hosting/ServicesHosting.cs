using Microsoft.Extensions.Options;
using Vigil.Detectors.Frames;
using Vigil.Silo.Access;
using Vigil.Silo.Alerts;
using Vigil.Silo.Configuration;
using Vigil.Silo.Health;
using Vigil.Silo.Ingestion;
using Vigil.Silo.Simulation;

namespace Vigil.Silo.Hosting;

/// <summary>The host's own services: ingestion, alert fan-out, readiness, and the embedded simulator.</summary>
public static class ServicesHosting
{
    public static WebApplicationBuilder AddVigilServices(this WebApplicationBuilder builder, HostSettings settings)
    {
        var services = builder.Services;
        services.AddVigilHostOptions();
        builder.AddVigilAccess(settings);
        services.AddOptions<FrameLimits>().BindConfiguration(FrameLimits.Section)
            .Validate(limits =>
            {
                limits.Validate();
                return true;
            })
            .ValidateOnStart();

        services.AddSingleton<ReadingsIngestor>();
        services.AddSingleton<ModelReadiness>();
        services.AddSingleton<AlertHub>();
        services.AddHostedService<AlertFeedSubscription>();
        services.AddHostedService<ModelWarmup>();

        if (settings.Simulator.EffectiveHomes(settings.Clustering.Mode) > 0)
        {
            services.AddHostedService(sp => new AlertConsolePrinter(sp.GetRequiredService<AlertHub>()));
            services.AddSingleton(sp => SimulatorPaths.Resolve(
                sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.FashionMnistPath,
                sp.GetRequiredService<IConfiguration>()[VigilDefaults.ModelsPathKey]!));
            services.AddSingleton<SimulatedHomes>();
            services.AddHostedService<EmbeddedSimulator>();
        }

        return builder;
    }
}
