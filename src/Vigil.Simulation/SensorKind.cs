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
