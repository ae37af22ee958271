using System.Net;
using Microsoft.Extensions.Options;

namespace Vigil.Silo.Configuration;

/// <summary>
/// Checks every <c>Vigil:*</c> option the host reads, with messages that name the configuration key, so a
/// misconfigured pod stops at start with one readable line instead of failing on first use.
/// </summary>
internal sealed class VigilOptionsValidator :
    IValidateOptions<ClusteringOptions>,
    IValidateOptions<RedisOptions>,
    IValidateOptions<OrleansEndpointOptions>,
    IValidateOptions<HttpOptions>,
    IValidateOptions<SiloRoleOptions>,
    IValidateOptions<SimulatorOptions>
{
    private static readonly string[] Devices = ["cpu", "cuda", "auto"];

    private readonly ClusteringOptions _clustering;

    /// <summary>Binds the clustering section itself: depending on <c>IOptions&lt;ClusteringOptions&gt;</c> would make
    /// the validator a dependency of the options it validates.</summary>
    public VigilOptionsValidator(IConfiguration configuration)
        : this(configuration.GetSection(ClusteringOptions.Section).Get<ClusteringOptions>() ?? new ClusteringOptions())
    {
    }

    internal VigilOptionsValidator(ClusteringOptions clustering) => _clustering = clustering;

    public ValidateOptionsResult Validate(string? name, ClusteringOptions options)
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"{ClusteringOptions.Section}:Mode must be Localhost, Redis or Kubernetes (got {options.Mode}).");
        }

        RequireId(errors, $"{ClusteringOptions.Section}:ClusterId", options.ClusterId);
        RequireId(errors, $"{ClusteringOptions.Section}:ServiceId", options.ServiceId);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        var errors = new List<string>();
        if (_clustering.UsesRedis)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                errors.Add($"{RedisOptions.Section}:ConnectionString is required when {ClusteringOptions.Section}:Mode is {_clustering.Mode}.");
            }
            else
            {
                try
                {
                    StackExchange.Redis.ConfigurationOptions.Parse(options.ConnectionString);
                }
                catch (ArgumentException e)
                {
                    // The parser's message may echo the password; name the key only.
                    errors.Add($"{RedisOptions.Section}:ConnectionString is not a valid StackExchange.Redis connection string ({e.GetType().Name}).");
                }
            }
        }

        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, OrleansEndpointOptions options)
    {
        var errors = new List<string>();
        RequirePort(errors, $"{OrleansEndpointOptions.Section}:SiloPort", options.SiloPort);
        RequirePort(errors, $"{OrleansEndpointOptions.Section}:GatewayPort", options.GatewayPort);
        if (options.SiloPort == options.GatewayPort)
        {
            errors.Add($"{OrleansEndpointOptions.Section}:SiloPort and GatewayPort must differ (both {options.SiloPort}).");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedIP) && !IPAddress.TryParse(options.AdvertisedIP, out _))
        {
            errors.Add($"{OrleansEndpointOptions.Section}:AdvertisedIP must be an IP address (got '{options.AdvertisedIP}').");
        }

        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var errors = new List<string>();
        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
        {
            errors.Add($"{HttpOptions.Section}:Urls must name at least one URL.");
        }

        foreach (var url in urls)
        {
            // Kestrel's wildcard hosts (http://*:8080, http://+:8080) are not valid URIs; check the rest.
            var probe = url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            {
                errors.Add($"{HttpOptions.Section}:Urls entry '{url}' is not an http(s) URL.");
            }
        }

        RequirePositive(errors, $"{HttpOptions.Section}:MaxReadingsBodyBytes", options.MaxReadingsBodyBytes);
        RequirePositive(errors, $"{HttpOptions.Section}:MaxBulkBodyBytes", options.MaxBulkBodyBytes);
        RequirePositive(errors, $"{HttpOptions.Section}:MaxBulkLines", options.MaxBulkLines);
        RequirePositive(errors, $"{HttpOptions.Section}:MaxFrameBodyBytes", options.MaxFrameBodyBytes);
        RequirePositive(errors, $"{HttpOptions.Section}:RequestTimeoutSeconds", options.RequestTimeoutSeconds);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, SiloRoleOptions options)
    {
        var errors = new List<string>();
        if (!Devices.Contains(options.Device, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"{SiloRoleOptions.Section}:Device must be cpu, cuda or auto (got '{options.Device}').");
        }

        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var errors = new List<string>();
        if (options.Homes is < 0 or > 100_000)
        {
            errors.Add($"{SimulatorOptions.Section}:Homes (--simulate) must be between 0 and 100000 (got {options.Homes}).");
        }

        if (options.DevicesPerHome is < 0 or > 6)
        {
            errors.Add($"{SimulatorOptions.Section}:DevicesPerHome must be between 0 and 6 (got {options.DevicesPerHome}).");
        }

        RequirePositive(errors, $"{SimulatorOptions.Section}:TickMs", options.TickMs);
        RequirePositive(errors, $"{SimulatorOptions.Section}:SampleMinutes", options.SampleMinutes);
        RequirePositive(errors, $"{SimulatorOptions.Section}:FrameIntervalMs", options.FrameIntervalMs);
        if (options.WarmupTicks < 0)
        {
            errors.Add($"{SimulatorOptions.Section}:WarmupTicks must not be negative (got {options.WarmupTicks}).");
        }
        if (options.AnomalyRate is < 0 or > 1 || double.IsNaN(options.AnomalyRate))
        {
            errors.Add($"{SimulatorOptions.Section}:AnomalyRate must be between 0 and 1 (got {options.AnomalyRate}).");
        }

        if (options.FrameAnomalyRate is < 0 or > 1 || double.IsNaN(options.FrameAnomalyRate))
        {
            errors.Add($"{SimulatorOptions.Section}:FrameAnomalyRate must be between 0 and 1 (got {options.FrameAnomalyRate}).");
        }

        return Result(errors);
    }

    private static void RequireId(List<string> errors, string key, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{key} must not be empty.");
        }
    }

    private static void RequirePort(List<string> errors, string key, int port)
    {
        if (port is < 1 or > 65535)
        {
            errors.Add($"{key} must be a TCP port between 1 and 65535 (got {port}).");
        }
    }

    private static void RequirePositive(List<string> errors, string key, long value)
    {
        if (value <= 0)
        {
            errors.Add($"{key} must be greater than 0 (got {value}).");
        }
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
