using Vigil.Contracts;

namespace Vigil.Grains.Devices;

/// <summary>
/// The pooled threshold counts of one sensor kind (<see cref="IFleetPriorGrain"/>): the sum of its devices' reported
/// alerts per rung and seconds of data, forgotten with the devices' own time constant
/// (<see cref="AdaptiveThreshold.MemoryDays"/>) along the newest data time reported, so the prior follows what the
/// fleet does now. The sums are written before a report is answered.
/// </summary>
internal sealed class FleetPriorGrain(
    [PersistentState("fleet", GrainStorage.Name)] IPersistentState<FleetPriorState> store) : Grain, IFleetPriorGrain
{
    private const double SecondsPerDay = 86_400;

    private FleetPriorState State => store.State;

    public async Task<FleetPrior> ReportAsync(FleetReport report)
    {
        if (report.Alerts is null || report.Alerts.Length != AdaptiveThreshold.RungCount
            || !double.IsFinite(report.Seconds) || report.Seconds < 0
            || report.Alerts.Any(a => !float.IsFinite(a) || a < 0))
            throw new ArgumentException($"a fleet report needs {AdaptiveThreshold.RungCount} finite non-negative counts and seconds.", nameof(report));

        // The device gives its counts back when this throws and reports them again: so a failed write must leave no trace.
        var (alerts, seconds, lastMs, reports) = (State.Alerts?.ToArray(), State.Seconds, State.LastMs, State.Reports);
        State.Alerts ??= new float[AdaptiveThreshold.RungCount];
        if (report.LastMs > State.LastMs)
        {
            // Forget along the newest data time any device has reported; a late report (a device behind the others)
            // adds its counts without turning the clock back.
            if (State.LastMs != 0)
            {
                var keep = Math.Exp(-(report.LastMs - State.LastMs) / 1000.0 / (AdaptiveThreshold.MemoryDays * SecondsPerDay));
                for (var i = 0; i < State.Alerts.Length; i++) State.Alerts[i] = (float)(State.Alerts[i] * keep);
                State.Seconds *= keep;
            }
            State.LastMs = report.LastMs;
        }
        for (var i = 0; i < State.Alerts.Length; i++) State.Alerts[i] += report.Alerts[i];
        State.Seconds += report.Seconds;
        State.Reports++;
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            (State.Alerts, State.Seconds, State.LastMs, State.Reports) = (alerts, seconds, lastMs, reports);
            throw;
        }
        return Prior();
    }

    public Task<FleetPrior> GetAsync() => Task.FromResult(Prior());

    private FleetPrior Prior() => State.Alerts is null ? FleetPrior.None : FleetPrior.FromTotals(State.Alerts, State.Seconds);
}

/// <summary>What a <see cref="FleetPriorGrain"/> persists.</summary>
[GenerateSerializer, Alias("vigil.fleet-prior-state")]
public sealed class FleetPriorState
{
    /// <summary>Per rung, the devices' reported alerts, forgotten; null before the first report.</summary>
    [Id(0)] public float[]? Alerts { get; set; }

    /// <summary>Seconds of device data reported, forgotten like <see cref="Alerts"/>.</summary>
    [Id(1)] public double Seconds { get; set; }

    /// <summary>Newest data time reported (Unix ms).</summary>
    [Id(2)] public long LastMs { get; set; }

    /// <summary>Reports received (not forgotten), for the operator.</summary>
    [Id(3)] public long Reports { get; set; }
}
