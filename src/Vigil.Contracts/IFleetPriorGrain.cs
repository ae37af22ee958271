namespace Vigil.Contracts;

/// <summary>
/// What the devices of one sensor kind have shown their thresholds, pooled: per threshold rung, the alerts it would
/// have raised per device-day. A device of that kind starts its threshold from this instead of from the score's
/// promise, so a new power meter does not pay again, alert by alert, for what the fleet's power meters already
/// learnt. Key <see cref="GrainKeys.ForFleet"/>.
/// </summary>
[Alias("vigil.IFleetPriorGrain")]
public interface IFleetPriorGrain : IGrainWithStringKey
{
    /// <summary>Adds a device's counts since its last report and answers the pooled prior, the report included.</summary>
    [Alias("Report")]
    Task<FleetPrior> ReportAsync(FleetReport report);

    [Alias("Get"), Orleans.Concurrency.ReadOnly]
    Task<FleetPrior> GetAsync();
}

/// <summary>A device's threshold counts since its last report: per rung the alerts it would have raised, over
/// <paramref name="Seconds"/> of its data, up to <paramref name="LastMs"/> (Unix ms of its newest scoring).</summary>
[GenerateSerializer, Immutable, Alias("vigil.fleet-report")]
public sealed record FleetReport([property: Id(0)] float[] Alerts, [property: Id(1)] double Seconds, [property: Id(2)] long LastMs);

/// <summary>The pooled counts: per rung the alerts per device-day, over <paramref name="DeviceDays"/> of the kind's
/// data (forgotten like a device's own counts); no rungs and 0 days before any report.</summary>
[GenerateSerializer, Immutable, Alias("vigil.fleet-prior")]
public sealed record FleetPrior([property: Id(0)] float[] AlertsPerDay, [property: Id(1)] double DeviceDays)
{
    public static FleetPrior None { get; } = new([], 0);

    /// <summary>The prior of pooled totals: per rung <paramref name="alerts"/> over <paramref name="seconds"/> of device data.</summary>
    public static FleetPrior FromTotals(IReadOnlyList<float> alerts, double seconds)
    {
        if (!(seconds > 0)) return None;
        var days = seconds / 86_400;
        return new FleetPrior([.. alerts.Select(a => (float)(a / days))], days);
    }
}
