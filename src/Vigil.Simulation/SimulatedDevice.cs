namespace Vigil.Simulation;

/// <summary>One simulated sensor of one home.</summary>
public sealed record SimulatedDevice(string HomeId, string DeviceId, SensorSignal Signal);

/// <summary>One simulated camera of one home; its anomaly, if any, is a frame with a foreign tile.</summary>
public sealed record SimulatedCamera(string HomeId, string CameraId, InjectedAnomaly? Anomaly);
