using Microsoft.Extensions.Options;

namespace Vigil.Silo.Configuration;

/// <summary>
/// The options the host needs while it is still being composed (clustering decides which services exist), bound
/// and validated eagerly with the same validator the options system runs at start.
/// </summary>
public sealed record HostSettings(
    ClusteringOptions Clustering,
    RedisOptions Redis,
    OrleansEndpointOptions Orleans,
    HttpOptions Http,
    SiloRoleOptions Silo,
    SimulatorOptions Simulator)
{
    /// <summary>How this silo is named in telemetry: the address other silos dial, with its silo port.</summary>
    public string SiloAddress =>
        $"{(Orleans.AdvertisedIP is { Length: > 0 } ip ? ip : Clustering.Mode == ClusteringMode.Localhost ? "127.0.0.1" : Environment.MachineName)}:{Orleans.SiloPort}";

    /// <exception cref="OptionsValidationException">Every problem found, each naming its key.</exception>
    public static HostSettings Read(IConfiguration configuration)
    {
        var redis = Bind<RedisOptions>(configuration, RedisOptions.Section);
        redis.ConnectionString = RedisConnection.Compose(redis);
        var settings = new HostSettings(
            Bind<ClusteringOptions>(configuration, ClusteringOptions.Section),
            redis,
            Bind<OrleansEndpointOptions>(configuration, OrleansEndpointOptions.Section),
            Bind<HttpOptions>(configuration, HttpOptions.Section),
            Bind<SiloRoleOptions>(configuration, SiloRoleOptions.Section),
            Bind<SimulatorOptions>(configuration, SimulatorOptions.Section));

        var validator = new VigilOptionsValidator(settings.Clustering);
        var failures = new[]
        {
            validator.Validate(null, settings.Clustering),
            validator.Validate(null, settings.Redis),
            validator.Validate(null, settings.Orleans),
            validator.Validate(null, settings.Http),
            validator.Validate(null, settings.Silo),
            validator.Validate(null, settings.Simulator),
        }.Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();

        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Vigil", typeof(HostSettings), failures);
        }

        return settings;
    }

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // The binder names the key and the bad value (e.g. Mode=Cluster) in its message.
            throw new OptionsValidationException(section, typeof(T), [e.Message]);
        }

        return options;
    }
}
