namespace Vigil.Contracts;

/// <summary>
/// Silo metadata entries Vigil publishes (<c>UseSiloMetadata</c>) and reads. Model grains are placed only on silos
/// whose <see cref="Accelerator"/> entry is <see cref="True"/>.
/// </summary>
public static class SiloMetadataKeys
{
    /// <summary>"true" on silos that host model grains (a GPU, or the embedded default's CPU).</summary>
    public const string Accelerator = "vigil.accelerator";

    /// <summary>Torch device of the silo: cpu, cuda or auto (informational).</summary>
    public const string Device = "vigil.device";

    public const string True = "true";
}
