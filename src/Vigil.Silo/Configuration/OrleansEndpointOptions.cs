namespace Vigil.Silo.Configuration;

/// <summary><c>Vigil:Orleans</c>: the silo-to-silo and client gateway ports.</summary>
public sealed class OrleansEndpointOptions
{
    public const string Section = "Vigil:Orleans";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos dial; in Kubernetes the pod IP. Empty: loopback in Localhost mode,
    /// otherwise the address Orleans picks.</summary>
    public string? AdvertisedIP { get; set; }
}
