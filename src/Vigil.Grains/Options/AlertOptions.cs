namespace Vigil.Grains.Options;

/// <summary><c>Vigil:Alerts</c>: what homes keep and when they fuse.</summary>
public sealed class AlertOptions
{
    public const string Section = "Vigil:Alerts";

    /// <summary>A sensor and a camera alert raised at most this far apart fuse into one home alert.</summary>
    public double FusionWindowSeconds { get; set; } = 120;

    /// <summary>Alerts a home keeps (open ones are never dropped while open).</summary>
    public int RecentAlerts { get; set; } = 50;

    /// <summary>Frames a camera needs before its baseline counts and it may alert.</summary>
    public int CameraWarmupFrames { get; set; } = 5;

    public IEnumerable<string> Validate()
    {
        if (!(FusionWindowSeconds > 0 && FusionWindowSeconds <= 86400)) yield return $"{Section}:FusionWindowSeconds must be in (0, 86400] (is {FusionWindowSeconds}).";
        if (RecentAlerts is < 1 or > 1000) yield return $"{Section}:RecentAlerts must be 1..1000 (is {RecentAlerts}).";
        if (CameraWarmupFrames is < 1 or > 1000) yield return $"{Section}:CameraWarmupFrames must be 1..1000 (is {CameraWarmupFrames}).";
    }
}
