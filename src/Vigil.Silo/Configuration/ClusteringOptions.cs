namespace Vigil.Silo.Configuration;

/// <summary>How silos find each other.</summary>
public enum ClusteringMode
{
    /// <summary>One silo on 127.0.0.1, in-memory grain storage: the embedded default.</summary>
    Localhost,

    /// <summary>Membership and grain storage in Redis (<c>Vigil:Redis:ConnectionString</c>).</summary>
    Redis,

    /// <summary>Redis membership and storage, plus Orleans' Kubernetes hosting (pod name, pod IP, dead-pod probing).</summary>
    Kubernetes,
}

/// <summary><c>Vigil:Clustering</c>.</summary>
public sealed class ClusteringOptions
{
    public const string Section = "Vigil:Clustering";

    public ClusteringMode Mode { get; set; } = ClusteringMode.Localhost;

    public string ClusterId { get; set; } = "vigil";

    public string ServiceId { get; set; } = "vigil";

    /// <summary>Whether grain state must go to Redis (every mode but the embedded default).</summary>
    public bool UsesRedis => Mode is ClusteringMode.Redis or ClusteringMode.Kubernetes;
}
