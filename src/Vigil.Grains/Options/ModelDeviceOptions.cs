namespace Vigil.Grains.Options;

/// <summary>The part of <c>Vigil:Silo</c> model grains read: which Torch device loads detectors on this silo.</summary>
public sealed class ModelDeviceOptions
{
    public const string Section = "Vigil:Silo";

    /// <summary><c>cpu</c>, <c>cuda</c> or <c>auto</c>.</summary>
    public string Device { get; set; } = "auto";

    public IEnumerable<string> Validate()
    {
        if (Device.ToLowerInvariant() is not ("cpu" or "cuda" or "auto")) yield return $"{Section}:Device must be cpu, cuda or auto (is '{Device}').";
    }
}
