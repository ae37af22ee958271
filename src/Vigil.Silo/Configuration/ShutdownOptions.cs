using System.Globalization;
using Microsoft.Extensions.Options;

namespace Vigil.Silo.Configuration;

/// <summary>
/// <c>Vigil:Shutdown</c>: the time a stopping silo gets (SIGTERM) to drain HTTP, let Orleans deactivate its grains
/// and leave the cluster. Keep it below the pod's terminationGracePeriodSeconds minus the preStop sleep.
/// </summary>
public sealed class ShutdownOptions
{
    public const string Section = "Vigil:Shutdown";

    /// <summary>The default, as the Helm chart and the k8s manifests set it (60 s of a 90 s grace period, after a
    /// 10 s preStop sleep).</summary>
    public const int DefaultTimeoutSeconds = 60;

    /// <summary>
    /// Unset: the .NET host's own setting (<c>DOTNET_SHUTDOWNTIMEOUTSECONDS</c>, which the Helm chart and the k8s
    /// manifests set from <c>shutdown.hostShutdownTimeoutSeconds</c>) when present, else
    /// <see cref="DefaultTimeoutSeconds"/>. Either way this key, not the host's, decides.
    /// </summary>
    public int? TimeoutSeconds { get; set; }

    /// <exception cref="OptionsValidationException">The section is invalid, naming the key.</exception>
    public static ShutdownOptions Read(IConfiguration configuration)
    {
        var options = new ShutdownOptions();
        try
        {
            configuration.GetSection(Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(Section, typeof(ShutdownOptions), [e.Message]);
        }

        if (options.TimeoutSeconds is null)
        {
            // WebApplicationBuilder maps DOTNET_-prefixed variables into configuration without the prefix.
            options.TimeoutSeconds = int.TryParse(configuration["shutdownTimeoutSeconds"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var host)
                ? host
                : DefaultTimeoutSeconds;
        }

        return options.TimeoutSeconds is < 1 or > 3600
            ? throw new OptionsValidationException(Section, typeof(ShutdownOptions),
                [$"{Section}:TimeoutSeconds must be between 1 and 3600 (got {options.TimeoutSeconds.Value.ToString(CultureInfo.InvariantCulture)})."])
            : options;
    }
}
