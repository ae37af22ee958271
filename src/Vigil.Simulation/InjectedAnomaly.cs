namespace Vigil.Simulation;

/// <summary>Ground truth: device <paramref name="DeviceId"/> of <paramref name="HomeId"/> is abnormal in [Start, End).</summary>
public sealed record InjectedAnomaly(string HomeId, string DeviceId, AnomalyKind Kind, double StartSeconds, double EndSeconds)
{
    public bool Covers(double seconds) => seconds >= StartSeconds && seconds < EndSeconds;
}
