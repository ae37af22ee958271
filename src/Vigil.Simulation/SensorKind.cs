namespace Vigil.Simulation;

/// <summary>The sensors a simulated home carries, in the order devices are assigned to a home.</summary>
public enum SensorKind
{
    Temperature,
    Humidity,
    Power,
    Motion,
    Door,
    Co2,
}

public static class SensorKindNames
{
    /// <summary>The lower-case name device ids start with (<c>power-1</c>) and reports group by.</summary>
    public static string Name(this SensorKind kind) => kind.ToString().ToLowerInvariant();
}
