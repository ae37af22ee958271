using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Serialization;
using Orleans.Storage;
using Vigil.Grains.Models;
using Vigil.Grains.Options;
using Vigil.Grains.Placement;

namespace Orleans.Hosting;

/// <summary>The one call a silo (the host, or a test cluster) makes to run Vigil's grains.</summary>
public static class VigilGrainsExtensions
{
    /// <summary>
    /// Binds and validates the <c>Vigil:Batching</c>, <c>Vigil:Models</c>, <c>Vigil:Scoring</c>, <c>Vigil:Alerts</c> and
    /// <c>Vigil:Silo:Device</c> options (start fails with every problem listed), registers the accelerator placement
    /// filter, the folder model catalog and the bundle loader. The host still provides the <c>vigil</c> grain storage
    /// and publishes the silo metadata (<c>UseSiloMetadata</c> with <see cref="Vigil.Contracts.SiloMetadataKeys"/>).
    /// A catalog or detector factory registered before this call is kept (tests, a registry).
    /// </summary>
    public static ISiloBuilder AddVigilGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        AddValidated<BatchingOptions>(services, configuration, BatchingOptions.Section, o => o.Validate());
        AddValidated<ModelsOptions>(services, configuration, ModelsOptions.Section, o => o.Validate());
        AddValidated<ScoringOptions>(services, configuration, ScoringOptions.Section, o => o.Validate());
        AddValidated<AlertOptions>(services, configuration, AlertOptions.Section, o => o.Validate());
        AddValidated<ModelDeviceOptions>(services, configuration, ModelDeviceOptions.Section, o => o.Validate());
        services.AddPlacementFilter<AcceleratorPlacementFilterStrategy, AcceleratorPlacementFilterDirector>(ServiceLifetime.Singleton);
        AddRedisModelCatalog(services, configuration);
        services.TryAddSingleton<IModelCatalog, FolderModelCatalog>();
        services.TryAddSingleton<IDetectorFactory, BundleDetectorFactory>();
        // Orleans' default storage format is Newtonsoft JSON with type names: a device's 60-reading state took
        // about 3.4 KB and a third of the silo's CPU under load (dotnet-trace of `vigil bench cluster`). The
        // generated binary codecs of the state types write it in about 1.2 KB for a fraction of the cost, and stay
        // version tolerant. Keyed by provider name, so only Vigil's own storage changes.
        services.AddKeyedSingleton<IGrainStorageSerializer>(Vigil.Grains.GrainStorage.Name,
            (sp, _) => new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()));
        return silo;
    }

    /// <summary>
    /// <c>Vigil:Models:Source=Redis</c>: the registry catalog over the silo's own Redis (<c>Vigil:Redis:ConnectionString</c>),
    /// which also runs as a hosted service that mirrors published bundles. A catalog registered before is kept.
    /// </summary>
    private static void AddRedisModelCatalog(IServiceCollection services, IConfiguration configuration)
    {
        var models = configuration.GetSection(ModelsOptions.Section);
        if (!string.Equals(models[nameof(ModelsOptions.Source)], ModelsOptions.RedisSource, StringComparison.OrdinalIgnoreCase))
            return;
        var connection = configuration[RedisConnectionKey];
        services.AddSingleton<IValidateOptions<ModelsOptions>>(new ListValidator<ModelsOptions>(_ => string.IsNullOrWhiteSpace(connection)
            ? [$"{RedisConnectionKey} is required when {ModelsOptions.Section}:Source is {ModelsOptions.RedisSource} (the model registry lives in the silo's Redis)."]
            : []));
        if (services.Any(d => d.ServiceType == typeof(IModelCatalog)) || string.IsNullOrWhiteSpace(connection))
            return;
        services.AddSingleton(sp => new RedisModelCatalog(sp.GetRequiredService<IOptions<ModelsOptions>>(), connection,
            sp.GetRequiredService<ILogger<RedisModelCatalog>>(), sp.GetService<IHostEnvironment>()));
        services.AddSingleton<IModelCatalog>(sp => sp.GetRequiredService<RedisModelCatalog>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<RedisModelCatalog>());
    }

    /// <summary>The silo's Redis connection string (the host's <c>Vigil:Redis</c> options), reused by the model registry.</summary>
    private const string RedisConnectionKey = "Vigil:Redis:ConnectionString";

    private static void AddValidated<T>(IServiceCollection services, IConfiguration configuration, string section, Func<T, IEnumerable<string>> validate)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new ListValidator<T>(validate));
    }

    private sealed class ListValidator<T>(Func<T, IEnumerable<string>> validate) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var problems = validate(options).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
