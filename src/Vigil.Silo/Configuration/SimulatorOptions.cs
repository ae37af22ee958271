namespace Vigil.Silo.Configuration;

/// <summary><c>Vigil:Simulator</c>: the built-in load of the embedded default (<c>--simulate N</c>).</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Vigil:Simulator";

    /// <summary>Simulated homes; 0 switches the simulator off. Unset: 20 on the embedded default, 0 in cluster modes
    /// (a pod should not invent load).</summary>
    public int? Homes { get; set; }

    /// <summary>Sensors per home (temperature, humidity, power, motion, door, CO2, in that order).</summary>
    public int DevicesPerHome { get; set; } = 3;

    /// <summary>Wall-clock time between two readings of one sensor.</summary>
    public int TickMs { get; set; } = 250;

    /// <summary>Time between two readings in the readings' own timestamps: the simulation runs faster than real
    /// time, so a day of 2-minute samples (720 readings) passes in three minutes at the default tick.</summary>
    public int SampleMinutes { get; set; } = 2;

    /// <summary>Ticks before any anomaly is injected, so windows fill and thresholds settle.</summary>
    public int WarmupTicks { get; set; } = 90;

    /// <summary>Chance per sensor and tick that an anomaly (spike, level shift, flat line, oscillation) starts.</summary>
    public double AnomalyRate { get; set; } = 0.002;

    /// <summary>Wall-clock time between two frames of one camera.</summary>
    public int FrameIntervalMs { get; set; } = 3_000;

    /// <summary>Chance per frame (after the camera's warm-up) that one tile shows another class.</summary>
    public double FrameAnomalyRate { get; set; } = 0.05;

    /// <summary>Fashion-MNIST folder for camera frames; relative paths are resolved against the repository root.
    /// Missing: synthetic frames.</summary>
    public string FashionMnistPath { get; set; } = "../shared/data/fashion-mnist";

    /// <summary>Seed of the simulator's random source, so a run can be repeated.</summary>
    public int Seed { get; set; } = 17;

    public int EffectiveHomes(ClusteringMode mode) => Homes ?? (mode == ClusteringMode.Localhost ? 20 : 0);
}
