namespace Vigil.Grains.Devices;

/// <summary>
/// A device's score threshold, aimed at a number of false alerts per day (<c>Vigil:Scoring:FalseAlertsPerDay</c>)
/// rather than a share of scorings: at one reading a second a day is 86,400 scorings, so even one scoring in 200 over
/// the bar is an alert every few minutes. The device counts, at every level of a fixed ladder of scores, the alerts it
/// would have raised had that level been its threshold (same raise and clear rules), over its own history. The
/// threshold is the lowest level whose count per day stays within the budget, never below the bundle's generic
/// threshold. Above the score levels is one more rung, <see cref="ReadingsOnly"/>: a device whose normal errors alone
/// reach a score of 1 more often than its budget allows (a power meter's appliance steps are, for a forecaster,
/// one-in-10^10 surprises several times a day) stops alerting on errors and alerts only when the reading tests speak
/// (a reading outside everything it has shown, a stuck sensor), which must always be able to alert.
/// Cameras keep one too, on their frame score against their own scene (on the same log scale, so from the same
/// prior), with their own budget (<see cref="Cameras.CameraGrain"/>).
/// </summary>
/// <remarks>
/// <para>The counts start from a prior worth <c>Vigil:Scoring:ThresholdPriorHours</c> of what the score promises: a
/// score is a tail probability on a log scale, so a score ≥ s should come on 10^(−10 s) of scorings. A new device at
/// one reading a second therefore starts at 0.5 for one false alert a day; a noisier one (a power meter's appliance
/// steps, a door counter's bursts) climbs the ladder as its own alerts show the promise does not hold for it; a quiet
/// one moves down over days.</para>
/// <para>The counts and the time they cover forget with a time constant of <see cref="MemoryDays"/>, so a device whose
/// behaviour changes is judged on its recent weeks. Every scoring counts, anomalies included: most alerts of a young
/// device are false, and a rule that did not count its own alerts could not learn that.</para>
/// <para>A device that declares its kind starts from the pooled counts of the fleet's devices of that kind instead
/// of the promise alone (<see cref="Contracts.IFleetPriorGrain"/>), and reports its own counts to them every hour
/// of its data (<see cref="TakeReport"/>).</para>
/// <para>State: per rung a forgotten alert count, a streak, whether that rung's alert is open and the alerts not yet
/// reported to the fleet; 16 rungs, about 240 bytes. State stored before the readings-only rung had 15; it is padded
/// at its next scoring.</para>
/// </remarks>
[GenerateSerializer, Alias("vigil.adaptive-threshold")]
public sealed class AdaptiveThreshold
{
    /// <summary>The scores a threshold can take: 0.30 to 0.95 by 0.05, then 0.99.</summary>
    public static readonly float[] Levels = [0.30f, 0.35f, 0.40f, 0.45f, 0.50f, 0.55f, 0.60f, 0.65f, 0.70f, 0.75f, 0.80f, 0.85f, 0.90f, 0.95f, 0.99f];

    /// <summary>Highest score level a threshold can take.</summary>
    public static float Ceiling => Levels[^1];

    /// <summary>
    /// The rung above every score level, shown as a threshold of 1: no score alerts by itself, only a scoring whose
    /// reading the reading tests flag (out of range, stuck). For devices whose own errors saturate the score scale.
    /// </summary>
    public const float ReadingsOnly = 1f;

    /// <summary>The score levels, then <see cref="ReadingsOnly"/>: what the counts are kept for.</summary>
    private static readonly float[] Rungs = [.. Levels, ReadingsOnly];

    /// <summary>Whether a scoring is over <paramref name="threshold"/>: the one rule the device and every rung play.</summary>
    public static bool IsOver(float threshold, float score, bool readingFlagged) =>
        threshold >= ReadingsOnly ? readingFlagged : score >= threshold;

    /// <summary>Time constant over which counts are forgotten.</summary>
    public const double MemoryDays = 7;

    private const double SecondsPerDay = 86_400;

    // Ids 0 and 1 held the percentile rule's state (stored by builds before 2026-11-23); Orleans skips them on read.

    /// <summary>Alerts each rung would have raised, forgotten over <see cref="MemoryDays"/>.</summary>
    [Id(2)] public float[] Alerts { get; set; } = new float[Rungs.Length];

    /// <summary>Per rung: scorings over it in a row (alert closed) or under its clear level in a row (alert open).</summary>
    [Id(3)] public int[] Streaks { get; set; } = new int[Rungs.Length];

    /// <summary>Bit i set: rung i's alert is open.</summary>
    [Id(4)] public int Open { get; set; }

    /// <summary>Seconds of the device's data observed, forgotten like <see cref="Alerts"/>.</summary>
    [Id(5)] public double Seconds { get; set; }

    /// <summary>Scorings observed, forgotten like <see cref="Alerts"/>: with <see cref="Seconds"/>, the scoring rate.</summary>
    [Id(6)] public double Scorings { get; set; }

    /// <summary>Time of the last scoring observed (Unix ms; 0 = none).</summary>
    [Id(7)] public long LastMs { get; set; }

    /// <summary>Per rung, alerts counted since the last report to the fleet prior (not forgotten: the fleet forgets).</summary>
    [Id(8)] public float[]? PendingAlerts { get; set; }

    /// <summary>Seconds of data observed since the last report to the fleet prior.</summary>
    [Id(9)] public double PendingSeconds { get; set; }

    /// <summary>Rungs counted: the score levels and <see cref="ReadingsOnly"/>.</summary>
    public static int RungCount => Rungs.Length;

    /// <summary>Device-days of pooled data a fleet prior counts as much as the score's promise: a young fleet's
    /// counts (a few devices for an hour) lean on the promise, an established one's on what it has seen.</summary>
    public const double PromiseDeviceDays = 1;

    /// <summary>The share of scorings a series score promises at or over a level: 10^(−10 s).</summary>
    public static double SeriesPromise(float level) => Math.Pow(10, -10 * level);

    /// <summary>
    /// The lowest level at or over <paramref name="generic"/> whose alerts per day are within the budget, counting a
    /// prior of what the score promises (<see cref="SeriesPromise"/>) at each level. With
    /// <paramref name="readingsOnlyRung"/> (a sensor, whose readings are tested too) a device over its budget even at
    /// <see cref="Ceiling"/> gets <see cref="ReadingsOnly"/>; without (a camera) <see cref="Ceiling"/> is the top.
    /// </summary>
    /// <param name="fleet">What the devices of this device's kind have shown (<see cref="Contracts.IFleetPriorGrain"/>):
    /// the prior's alerts per day at each level are then the fleet's, shrunk towards the promise by
    /// <see cref="PromiseDeviceDays"/>. Null or empty: the promise alone.</param>
    public float Current(float generic, ThresholdBudget budget, bool readingsOnlyRung = false, Contracts.FleetPrior? fleet = null)
    {
        var priorSeconds = budget.PriorHours * 3600;
        var days = (Seconds + priorSeconds) / SecondsPerDay;
        // Scorings per second, 1 until known. Scorings counts one more than the intervals Seconds adds up, an
        // overestimate (a more cautious prior) gone within a few dozen scorings.
        var rate = Scorings > 0 ? Scorings / Math.Max(Seconds, 1) : 1;
        var pooled = fleet is { DeviceDays: > 0 } && fleet.AlertsPerDay.Length == Rungs.Length ? fleet : null;
        var top = readingsOnlyRung ? Levels.Length : Levels.Length - 1;
        for (var i = 0; i < top; i++)
        {
            if (Levels[i] < generic) continue;
            var promised = priorSeconds * rate * SeriesPromise(Levels[i]);
            // The fleet's count over the prior's hours and the promise's, weighted by the device-days behind each.
            if (pooled is not null)
                promised = (pooled.AlertsPerDay[i] * priorSeconds / SecondsPerDay * pooled.DeviceDays + promised * PromiseDeviceDays)
                           / (pooled.DeviceDays + PromiseDeviceDays);
            if ((Alerts[i] + promised) / days <= budget.FalseAlertsPerDay)
                return Levels[i];
        }
        return readingsOnlyRung ? ReadingsOnly : Math.Max(Ceiling, generic);
    }

    /// <summary>The counts since the last report, once they cover <paramref name="minSeconds"/> of data; they start
    /// again from zero (give them back with <see cref="Unreport"/> if the report could not be made).</summary>
    public Contracts.FleetReport? TakeReport(double minSeconds)
    {
        if (PendingSeconds < minSeconds || PendingAlerts is null) return null;
        var report = new Contracts.FleetReport(PendingAlerts, PendingSeconds, LastMs);
        PendingAlerts = new float[Rungs.Length];
        PendingSeconds = 0;
        return report;
    }

    /// <summary>Puts back the counts of a report that did not reach the fleet.</summary>
    public void Unreport(Contracts.FleetReport report)
    {
        PendingAlerts ??= new float[Rungs.Length];
        for (var i = 0; i < Math.Min(PendingAlerts.Length, report.Alerts.Length); i++) PendingAlerts[i] += report.Alerts[i];
        PendingSeconds += report.Seconds;
    }

    /// <summary>
    /// Folds a scoring in: forgets by the time since the last, then plays every rung's raise/clear rule.
    /// <paramref name="readingFlagged"/>: the reading tests flagged this scoring's reading (what <see cref="ReadingsOnly"/> alerts on).
    /// </summary>
    public void Observe(long timeMs, float score, ThresholdBudget budget, bool readingFlagged = false)
    {
        PadRungs();
        if (LastMs != 0)
        {
            var elapsed = Math.Max(0, timeMs - LastMs) / 1000.0;
            var keep = Math.Exp(-elapsed / (MemoryDays * SecondsPerDay));
            for (var i = 0; i < Alerts.Length; i++) Alerts[i] = (float)(Alerts[i] * keep);
            Seconds = Seconds * keep + elapsed;
            Scorings *= keep;
            PendingSeconds += elapsed;
        }
        LastMs = timeMs;
        Scorings++;
        for (var i = 0; i < Rungs.Length; i++)
        {
            var level = Rungs[i];
            var bit = 1 << i;
            if ((Open & bit) == 0)
            {
                Streaks[i] = IsOver(level, score, readingFlagged) ? Streaks[i] + 1 : 0;
                if (Streaks[i] >= budget.RaiseAfter)
                {
                    Alerts[i]++;
                    PendingAlerts![i]++;
                    Open |= bit;
                    Streaks[i] = 0;
                }
            }
            else
            {
                Streaks[i] = score < level * budget.ClearRatio ? Streaks[i] + 1 : 0;
                if (Streaks[i] >= budget.ClearAfter)
                {
                    Open &= ~bit;
                    Streaks[i] = 0;
                }
            }
        }
    }

    /// <summary>State stored before <see cref="ReadingsOnly"/> existed has one count and streak fewer; that rung starts from
    /// none. Only <see cref="Observe"/> needs it: <see cref="Current"/> reads the score levels' counts alone.</summary>
    private void PadRungs()
    {
        if (Alerts.Length < Rungs.Length) Alerts = [.. Alerts, .. new float[Rungs.Length - Alerts.Length]];
        if (Streaks.Length < Rungs.Length) Streaks = [.. Streaks, .. new int[Rungs.Length - Streaks.Length]];
        PendingAlerts ??= new float[Rungs.Length];
    }
}

/// <summary>What <see cref="AdaptiveThreshold"/> aims at, and the alert rules its levels play (from <c>Vigil:Scoring</c>).</summary>
public readonly record struct ThresholdBudget(double FalseAlertsPerDay, double PriorHours, int RaiseAfter, int ClearAfter, double ClearRatio);
