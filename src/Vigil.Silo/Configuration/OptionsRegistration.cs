using Microsoft.Extensions.Options;

namespace Vigil.Silo.Configuration;

internal static class OptionsRegistration
{
    /// <summary>Binds every host options class to its section and validates it when the host starts.</summary>
    public static IServiceCollection AddVigilHostOptions(this IServiceCollection services)
    {
        services.AddSingleton<VigilOptionsValidator>();
        Add<ClusteringOptions>(services, ClusteringOptions.Section);
        Add<RedisOptions>(services, RedisOptions.Section);
        Add<OrleansEndpointOptions>(services, OrleansEndpointOptions.Section);
        Add<HttpOptions>(services, HttpOptions.Section);
        Add<SiloRoleOptions>(services, SiloRoleOptions.Section);
        Add<SimulatorOptions>(services, SimulatorOptions.Section);
        return services;
    }

    private static void Add<T>(IServiceCollection services, string section) where T : class
    {
        services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(sp => (IValidateOptions<T>)(object)sp.GetRequiredService<VigilOptionsValidator>());
    }
}
