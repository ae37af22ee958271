namespace Vigil.Simulation;

/// <summary>An alert as the API reported it: which stream, and from when (seconds since the run started).</summary>
public sealed record ObservedAlert(string HomeId, string DeviceId, double StartSeconds);

/// <summary>Recall and precision of observed alerts against the injected anomalies.</summary>
public sealed record DetectionQuality(int Anomalies, int Detected, int Alerts, int TrueAlerts)
{
    /// <summary>No anomalies and no alerts: what a stream group without either has.</summary>
    public static DetectionQuality None { get; } = new(0, 0, 0, 0);

    public double Recall => Anomalies == 0 ? double.NaN : Detected / (double)Anomalies;
    public double Precision => Alerts == 0 ? double.NaN : TrueAlerts / (double)Alerts;

    /// <summary>The quality of two disjoint sets of streams together (an anomaly and its alerts share a stream).</summary>
    public static DetectionQuality operator +(DetectionQuality a, DetectionQuality b) =>
        new(a.Anomalies + b.Anomalies, a.Detected + b.Detected, a.Alerts + b.Alerts, a.TrueAlerts + b.TrueAlerts);
}

public static class DetectionMatcher
{
    /// <summary>
    /// An anomaly counts as detected when an alert of its stream starts inside it or within
    /// <paramref name="graceSeconds"/> after it ends (a window needs a few readings to see a change); an alert is true
    /// when it matches some anomaly that way, false otherwise.
    /// </summary>
    public static DetectionQuality Match(IReadOnlyList<InjectedAnomaly> anomalies, IReadOnlyList<ObservedAlert> alerts, double graceSeconds)
    {
        var byStream = anomalies.ToLookup(a => (a.HomeId, a.DeviceId));
        bool Matches(InjectedAnomaly a, ObservedAlert alert) =>
            alert.StartSeconds >= a.StartSeconds && alert.StartSeconds <= a.EndSeconds + graceSeconds;

        int detected = anomalies.Count(a => alerts.Any(alert => alert.HomeId == a.HomeId && alert.DeviceId == a.DeviceId && Matches(a, alert)));
        int trueAlerts = alerts.Count(alert => byStream[(alert.HomeId, alert.DeviceId)].Any(a => Matches(a, alert)));
        return new DetectionQuality(anomalies.Count, detected, alerts.Count, trueAlerts);
    }

    /// <summary>
    /// <see cref="Match"/> for the sensors and the cameras apart (their detectors and thresholds differ, and so do their
    /// false alerts), and for the sensors kind by kind, from one match per group. A stream is a camera when
    /// <paramref name="isCamera"/> says so, else a sensor of the kind <paramref name="sensorKindOf"/> names; a sensor of
    /// no known kind (left on the silo by an earlier run) counts with the sensors but with no kind.
    /// </summary>
    public static (DetectionQuality Sensors, DetectionQuality Cameras, IReadOnlyDictionary<string, DetectionQuality> SensorsByKind) MatchBySource(
        IReadOnlyList<InjectedAnomaly> anomalies, IReadOnlyList<ObservedAlert> alerts, double graceSeconds,
        Func<string, string, bool> isCamera, Func<string, string, string?> sensorKindOf)
    {
        // A group is the cameras, or the sensors of one kind (Kind null: of no known kind).
        var byGroup = MatchByGroup(anomalies, alerts, graceSeconds,
            (home, id) => isCamera(home, id) ? (Camera: true, Kind: null) : (Camera: false, Kind: sensorKindOf(home, id)));
        var sensors = byGroup.Where(g => !g.Key.Camera).Aggregate(DetectionQuality.None, (sum, g) => sum + g.Value);
        var byKind = byGroup.Where(g => g.Key is { Camera: false, Kind: not null }).ToDictionary(g => g.Key.Kind!, g => g.Value);
        return (sensors, byGroup.GetValueOrDefault((true, null), DetectionQuality.None), byKind);
    }

    /// <summary>
    /// <see cref="Match"/> per group of streams (<paramref name="groupOf"/> names a stream's group, e.g. its sensor
    /// kind), for every group that has an anomaly or an alert: which kinds of stream spend the false alerts.
    /// </summary>
    public static IReadOnlyDictionary<TGroup, DetectionQuality> MatchByGroup<TGroup>(
        IReadOnlyList<InjectedAnomaly> anomalies, IReadOnlyList<ObservedAlert> alerts, double graceSeconds, Func<string, string, TGroup> groupOf)
        where TGroup : notnull
    {
        var anomaliesByGroup = anomalies.ToLookup(a => groupOf(a.HomeId, a.DeviceId));
        var alertsByGroup = alerts.ToLookup(a => groupOf(a.HomeId, a.DeviceId));
        return anomaliesByGroup.Select(g => g.Key).Union(alertsByGroup.Select(g => g.Key))
            .ToDictionary(g => g, g => Match([.. anomaliesByGroup[g]], [.. alertsByGroup[g]], graceSeconds));
    }
}
