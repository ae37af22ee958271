namespace Vigil.Simulation;

/// <summary>What an injected anomaly does to a sensor's signal.</summary>
public enum AnomalyKind
{
    /// <summary>A short burst far outside the normal range (a faulty reading, a fire near a thermometer).</summary>
    Spike,
    /// <summary>The level jumps and stays (a window left open, a heater stuck on).</summary>
    LevelShift,
    /// <summary>The sensor freezes at one value (a dead sensor still reporting).</summary>
    FlatLine,
    /// <summary>Oscillation far faster and larger than normal (a failing appliance).</summary>
    Oscillation,
}
