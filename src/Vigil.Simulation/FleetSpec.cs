namespace Vigil.Simulation;

/// <summary>What to simulate; validated so a typo fails before any request is sent.</summary>
public sealed record FleetSpec
{
    public int Homes { get; init; } = 20;
    public int DevicesPerHome { get; init; } = 6;
    public int CamerasPerHome { get; init; } = 1;
    /// <summary>Readings per second per device.</summary>
    public double Rate { get; init; } = 1;
    /// <summary>Seconds between two frames of one camera; 0 = no frames.</summary>
    public double FrameIntervalSeconds { get; init; } = 10;
    public double DurationSeconds { get; init; } = 60;
    /// <summary>
    /// Each camera watches its own fixed scene (<see cref="CameraScene"/>), as mounted cameras do; false draws a fresh
    /// mosaic for every frame (how runs before 2026-11-24 were measured).
    /// </summary>
    public bool FixedCameraScenes { get; init; } = true;
    /// <summary>Share of devices and cameras that get one injected anomaly during the run.</summary>
    public double AnomalyFraction { get; init; } = 0.05;
    /// <summary>Length of the simulated day; shorter than 86,400 s makes daily cycles visible in short runs.</summary>
    public double DaySeconds { get; init; } = 86_400;
    /// <summary>No anomaly starts before this, so windows fill and per-device statistics settle first.</summary>
    public double WarmupSeconds { get; init; } = 90;
    public int Seed { get; init; } = 1;
    /// <summary>Anomalies last long enough for a 60-reading window to see them, short enough to be anomalies.</summary>
    public double MinAnomalySeconds { get; init; } = 15;
    public double MaxAnomalySeconds { get; init; } = 45;

    public void Validate()
    {
        void Require(bool ok, string what) { if (!ok) throw new ArgumentException(what); }
        Require(Homes > 0, $"--homes must be positive, not {Homes}.");
        Require(DevicesPerHome >= 0, $"--devices-per-home must be ≥ 0, not {DevicesPerHome}.");
        Require(CamerasPerHome >= 0, $"--cameras-per-home must be ≥ 0, not {CamerasPerHome}.");
        Require(DevicesPerHome + CamerasPerHome > 0, "a home needs at least one device or camera.");
        Require(Rate > 0 && Rate <= 100, $"--rate must lie in (0, 100] readings per second, not {Rate}.");
        Require(FrameIntervalSeconds >= 0, $"--frame-interval must be ≥ 0, not {FrameIntervalSeconds}.");
        Require(DurationSeconds > 0, $"--duration must be positive, not {DurationSeconds}.");
        Require(AnomalyFraction is >= 0 and <= 1, $"--anomalies must lie in [0, 1], not {AnomalyFraction}.");
        Require(DaySeconds > 0, $"the simulated day must be positive, not {DaySeconds}.");
        Require(WarmupSeconds >= 0, $"the warm-up must be ≥ 0, not {WarmupSeconds}.");
        Require(MinAnomalySeconds > 0 && MaxAnomalySeconds >= MinAnomalySeconds,
            $"anomaly lengths must satisfy 0 < min ≤ max, not {MinAnomalySeconds}..{MaxAnomalySeconds}.");
    }
}
