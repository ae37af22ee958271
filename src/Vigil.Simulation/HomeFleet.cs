namespace Vigil.Simulation;

/// <summary>
/// The homes of a run: their sensors and cameras, ids, and the anomalies injected into them (the ground truth
/// recall and precision are measured against). Built deterministically from the spec's seed.
/// </summary>
public sealed class HomeFleet
{
    public HomeFleet(FleetSpec spec)
    {
        spec.Validate();
        Spec = spec;
        var random = new Random(spec.Seed);
        var kinds = Enum.GetValues<SensorKind>();
        var devices = new List<SimulatedDevice>();
        var cameras = new List<SimulatedCamera>();
        var anomalies = new List<InjectedAnomaly>();
        var anomalyKinds = Enum.GetValues<AnomalyKind>();

        for (int h = 0; h < spec.Homes; h++)
        {
            var home = $"home-{h + 1:D5}";
            for (int d = 0; d < spec.DevicesPerHome; d++)
            {
                var kind = kinds[d % kinds.Length];
                var id = $"{kind.Name()}-{d / kinds.Length + 1}";
                var signal = new SensorSignal(kind, random.Next(), spec.DaySeconds);
                if (TryPlan(random, spec, home, id, anomalyKinds[random.Next(anomalyKinds.Length)]) is { } anomaly)
                {
                    signal.Inject(anomaly);
                    anomalies.Add(anomaly);
                }
                devices.Add(new SimulatedDevice(home, id, signal));
            }
            for (int c = 0; c < spec.CamerasPerHome; c++)
            {
                var id = $"camera-{c + 1}";
                var anomaly = spec.FrameIntervalSeconds > 0 ? TryPlan(random, spec, home, id, AnomalyKind.Spike) : null;
                if (anomaly is not null) anomalies.Add(anomaly);
                cameras.Add(new SimulatedCamera(home, id, anomaly));
            }
        }
        Devices = devices;
        Cameras = cameras;
        Anomalies = anomalies;
    }

    public FleetSpec Spec { get; }
    public IReadOnlyList<SimulatedDevice> Devices { get; }
    public IReadOnlyList<SimulatedCamera> Cameras { get; }
    public IReadOnlyList<InjectedAnomaly> Anomalies { get; }

    private static InjectedAnomaly? TryPlan(Random random, FleetSpec spec, string home, string device, AnomalyKind kind)
    {
        // Draw every time so the fleet's layout does not depend on the fraction.
        double draw = random.NextDouble(), position = random.NextDouble(), length = random.NextDouble();
        if (draw >= spec.AnomalyFraction) return null;
        double seconds = spec.MinAnomalySeconds + length * (spec.MaxAnomalySeconds - spec.MinAnomalySeconds);
        double latestStart = spec.DurationSeconds - seconds;
        if (latestStart <= spec.WarmupSeconds) return null; // run too short to place it after the warm-up
        double start = spec.WarmupSeconds + position * (latestStart - spec.WarmupSeconds);
        return new InjectedAnomaly(home, device, kind, start, start + seconds);
    }
}
