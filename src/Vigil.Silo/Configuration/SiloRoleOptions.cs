namespace Vigil.Silo.Configuration;

/// <summary><c>Vigil:Silo</c>: what this silo offers the cluster.</summary>
public sealed class SiloRoleOptions
{
    public const string Section = "Vigil:Silo";

    /// <summary>True: model grains may be placed here (published as silo metadata). Unset: true on the embedded
    /// default (its CPU is the only place models can run), false in cluster modes.</summary>
    public bool? Accelerator { get; set; }

    public bool EffectiveAccelerator(ClusteringMode mode) => Accelerator ?? mode == ClusteringMode.Localhost;

    /// <summary>Torch device for model grains on this silo: <c>cpu</c>, <c>cuda</c> or <c>auto</c>.</summary>
    public string Device { get; set; } = "auto";
}
