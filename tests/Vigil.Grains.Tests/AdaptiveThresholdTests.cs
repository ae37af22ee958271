using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Vigil.Contracts;
using Vigil.Grains.Devices;
using Vigil.Grains.Options;

namespace Vigil.Grains.Tests;

/// <summary>
/// The threshold rule on its own, over simulated days of scores at one scoring a second: it aims at false alerts per
/// device per day, whatever share of scorings that takes.
/// </summary>
public sealed class AdaptiveThresholdTests
{
    private static readonly ThresholdBudget OnePerDay = new ScoringOptions().Budget;
    private const long Start = 1_700_000_000_000;

    /// <summary>Plays the device's own alert rule (threshold fixed before each scoring is observed), as DeviceGrain does;
    /// returns the alerts raised per day of scores. <paramref name="flagged"/>: the seconds whose reading the reading
    /// tests flag; with it the ladder has the readings-only rung, as a sensor's does once its readings are judged.</summary>
    private static double AlertsPerDay(AdaptiveThreshold threshold, Func<int, float> score, int fromSecond, int seconds, float generic = 0.25f,
        ThresholdBudget? budget = null, Func<int, bool>? flagged = null, FleetPrior? fleet = null)
    {
        var b = budget ?? OnePerDay;
        var alerts = 0;
        var open = false;
        var calm = 0;
        for (var t = fromSecond; t < fromSecond + seconds; t++)
        {
            var s = score(t);
            var f = flagged?.Invoke(t) ?? false;
            var level = threshold.Current(generic, b, readingsOnlyRung: flagged is not null, fleet);
            if (!open && AdaptiveThreshold.IsOver(level, s, f)) (open, calm, alerts) = (true, 0, alerts + 1);
            else if (open && (calm = s < level * b.ClearRatio ? calm + 1 : 0) >= b.ClearAfter) open = false;
            threshold.Observe(Start + t * 1000L, s, b, f);
        }
        return alerts / (seconds / 86_400.0);
    }

    /// <summary>Calm noise with a burst to <paramref name="burst"/> every <paramref name="period"/> seconds.</summary>
    private static Func<int, float> Bursty(float burst, int period) => t => t % period == period - 1 ? burst : 0.05f + 0.1f * ((t * 7919) % 13) / 13f;

    [Fact]
    public void A_new_device_starts_where_the_calibrated_score_promises_one_false_alert_a_day()
    {
        // 10^(−10 s) of scorings at 86,400 a day is one a day at s ≈ 0.49: the first level over it is 0.5.
        Assert.Equal(0.5f, new AdaptiveThreshold().Current(0.25f, OnePerDay));
        Assert.Equal(0.6f, new AdaptiveThreshold().Current(0.6f, OnePerDay)); // never below the bundle's threshold
        Assert.Equal(0.4f, new AdaptiveThreshold().Current(0.25f, OnePerDay with { FalseAlertsPerDay = 10 }));
    }

    [Fact]
    public void A_device_whose_calm_scores_cross_the_promised_level_hourly_climbs_over_them_within_hours()
    {
        var threshold = new AdaptiveThreshold();
        var noisy = Bursty(0.62f, 3600); // 24 bursts a day to 0.62: 24 false alerts a day at 0.5 or 0.6

        var firstDay = AlertsPerDay(threshold, noisy, 0, 86_400);
        Assert.Equal(0.65f, threshold.Current(0.25f, OnePerDay));
        Assert.InRange(firstDay, 1, 6); // the bursts it had to see to learn

        // Every level counts the alerts it would have raised, so 0.6 keeps seeing its 24 a day and is not tried again.
        Assert.Equal(0, AlertsPerDay(threshold, noisy, 86_400, 5 * 86_400));
    }

    [Fact]
    public void A_device_raises_about_its_budget_when_calm_scores_have_a_long_tail()
    {
        // Scores whose tail is heavier than the score promises: P(score ≥ s) = 10^(−6 s), not 10^(−10 s).
        var random = new Random(7);
        Func<int, float> tail = _ => (float)Math.Min(1, -Math.Log10(1 - random.NextDouble()) / 6);
        var threshold = new AdaptiveThreshold();

        AlertsPerDay(threshold, tail, 0, 7 * 86_400); // a week to learn
        var settled = AlertsPerDay(threshold, tail, 7 * 86_400, 14 * 86_400);

        Assert.InRange(settled, 0.3, 3); // one a day, within the ladder's steps and the counts' noise
        var withoutAdaptation = AlertsPerDay(new AdaptiveThreshold(), tail, 0, 86_400, budget: OnePerDay with { PriorHours = 24 * 30 });
        Assert.True(withoutAdaptation > 10 * settled, $"{withoutAdaptation:0.0} vs {settled:0.0} a day");
    }

    [Fact]
    public void A_quiet_device_grows_more_sensitive_over_days_and_a_score_of_one_always_alerts()
    {
        var threshold = new AdaptiveThreshold();
        Func<int, float> quiet = t => 0.05f + 0.1f * ((t * 7919) % 13) / 13f;

        AlertsPerDay(threshold, quiet, 0, 14 * 86_400);

        Assert.Equal(0.4f, threshold.Current(0.25f, OnePerDay)); // nothing crossed 0.4 in two weeks; the prior forbids 0.35

        var always = new AdaptiveThreshold();
        AlertsPerDay(always, Bursty(1f, 60), 0, 86_400); // a score of 1 every minute
        Assert.Equal(AdaptiveThreshold.Ceiling, always.Current(0.25f, OnePerDay));
        Assert.True(1f >= always.Current(0.25f, OnePerDay));
    }

    [Fact]
    public void Old_counts_are_forgotten_so_a_device_that_calms_down_comes_back_down()
    {
        var threshold = new AdaptiveThreshold();
        AlertsPerDay(threshold, Bursty(0.62f, 3600), 0, 2 * 86_400);
        Assert.Equal(0.65f, threshold.Current(0.25f, OnePerDay));

        AlertsPerDay(threshold, Bursty(0.1f, 3600), 2 * 86_400, 30 * 86_400);

        // Four time constants later the bursts weigh 2 % of what they did: where a device quiet from the start stands.
        Assert.Equal(0.4f, threshold.Current(0.25f, OnePerDay));
    }

    /// <summary>
    /// A device state as build 67604b3 stored it (Orleans binary, the percentile rule's two numbers in the threshold:
    /// 120 readings, a 60-reading window, 300 scorings) reads back whole, with the ladder starting afresh.
    /// </summary>
    [Fact]
    public void A_state_stored_with_the_percentile_rule_reads_back_with_a_fresh_ladder()
    {
        const string stored =
        "ICAA8QEFAfEBAQEgbPtWVc0hAHkBhGcOAAQpDgCE6g0ABKwNAIRtDQAELw0AhPAMAASyDACEcwwABDUMAIT2CwAEuAsAhHkLAAQ7" +
        "CwCE/AoABL4KAIR/CgAEQQoAhAIKAATECQCEhQkABEcJAIQICQAEyggAhIsIAARNCACEDggABNAHAISRBwAEUwcAhBQHAATWBgCE" +
        "lwYABFkGAIQaBgAE3AUAhJ0FAARfBQCEIAUABOIEAISjBAAEZQQAhCYEAAToAwCEqQMABGsDAIQsAwAE7gIAhK8CAARxAgCEMgIA" +
        "AvoAwtoAgrsAQpwAAn0Awl0Agj4AQh8AAeAhAHlhAADAQWAAAMhBYAAA0EFgAACgQWAAAKhBYAAAsEFgAAC4QWAAAMBBYAAAyEFg" +
        "AADQQWAAAKBBYAAAqEFgAACwQWAAALhBYAAAwEFgAADIQWAAANBBYAAAoEFgAACoQWAAALBBYAAAuEFgAADAQWAAAMhBYAAA0EFg" +
        "AACgQWAAAKhBYAAAsEFgAAC4QWAAAMBBYAAAyEFgAADQQWAAAKBBYAAAqEFgAACwQWAAALhBYAAAwEFgAADIQWAAANBBYAAAoEFg" +
        "AACoQWAAALBBYAAAuEFgAADAQWAAAMhBYAAA0EFgAACgQWAAAKhBYAAAsEFgAAC4QWAAAMBBYAAAyEFgAADQQWAAAKBBYAAAqEFg" +
        "AACwQWAAALhBYAAAwEFgAADIQWAAANBBYAAAoEHg4MEBIeDBASEAYglhP8acPuDBAQHCAwEBAQEBAQEBYQWjkj7BAQEgABNWVc0B" +
        "AeA=";
        var serializer = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(DeviceState).Assembly))
            .BuildServiceProvider().GetRequiredService<Serializer>();

        var state = serializer.Deserialize<DeviceState>(Convert.FromBase64String(stored))!;

        Assert.Equal((120L, 60, 0.2864f), (state.TotalAccepted, state.Ring!.Count, state.GenericThreshold));
        Assert.All(state.Threshold.Alerts, a => Assert.Equal(0f, a));
        Assert.Equal(0.5f, state.Threshold.Current(state.GenericThreshold, OnePerDay));
        state.Threshold.Observe(Start, 0.9f, OnePerDay); // and it learns from there
        Assert.Equal(1f, state.Threshold.Alerts[0]);
    }

    [Fact]
    public void A_device_whose_errors_alone_reach_one_hourly_alerts_only_on_flagged_readings_and_those_still_alert()
    {
        // A power meter's appliance steps: an error scoring 1 every hour, no reading out of its range.
        var steps = Bursty(1f, 3600);
        Func<int, bool> none = _ => false;
        var threshold = new AdaptiveThreshold();

        var firstDay = AlertsPerDay(threshold, steps, 0, 86_400, flagged: none);
        Assert.Equal(AdaptiveThreshold.ReadingsOnly, threshold.Current(0.25f, OnePerDay, readingsOnlyRung: true));
        Assert.InRange(firstDay, 1, 4); // the steps it had to see to learn
        Assert.Equal(0, AlertsPerDay(threshold, steps, 86_400, 5 * 86_400, flagged: none));

        // A reading out of everything the device has shown, once a day: alerts every time, steps or not.
        Func<int, bool> daily = t => t % 86_400 == 43_200;
        Assert.Equal(1, AlertsPerDay(threshold, steps, 6 * 86_400, 3 * 86_400, flagged: daily), precision: 6);

        // Without the rung (a camera, or a sensor whose readings are not judged yet) 0.99 is the top, as before.
        var camera = new AdaptiveThreshold();
        AlertsPerDay(camera, steps, 0, 86_400);
        Assert.Equal(AdaptiveThreshold.Ceiling, camera.Current(0.25f, OnePerDay));
    }

    [Fact]
    public void A_device_on_readings_only_comes_back_to_the_score_levels_when_its_errors_calm_down()
    {
        var threshold = new AdaptiveThreshold();
        Func<int, bool> none = _ => false;
        AlertsPerDay(threshold, Bursty(1f, 3600), 0, 2 * 86_400, flagged: none);
        Assert.Equal(AdaptiveThreshold.ReadingsOnly, threshold.Current(0.25f, OnePerDay, readingsOnlyRung: true));

        AlertsPerDay(threshold, Bursty(0.1f, 3600), 2 * 86_400, 30 * 86_400, flagged: none);

        Assert.Equal(0.4f, threshold.Current(0.25f, OnePerDay, readingsOnlyRung: true));
    }

    [Fact]
    public void A_ladder_stored_before_the_readings_only_rung_starts_that_rung_from_no_alerts()
    {
        var stored = new AdaptiveThreshold { Alerts = new float[AdaptiveThreshold.Levels.Length], Streaks = new int[AdaptiveThreshold.Levels.Length] };
        stored.Alerts[^1] = 5; // 0.99 had 5 alerts

        Assert.Equal(0.5f, stored.Current(0.25f, OnePerDay, readingsOnlyRung: true));
        stored.Observe(Start, 1f, OnePerDay, readingFlagged: true);

        Assert.Equal(AdaptiveThreshold.Levels.Length + 1, stored.Alerts.Length);
        Assert.Equal((6f, 1f), (stored.Alerts[^2], stored.Alerts[^1]));
    }

    /// <summary>What the fleet prior grain would answer for these reports (forgetting aside).</summary>
    private static FleetPrior Pooled(IEnumerable<FleetReport> reports)
    {
        var all = reports.ToList();
        return FleetPrior.FromTotals([.. Enumerable.Range(0, AdaptiveThreshold.RungCount).Select(i => all.Sum(r => r.Alerts[i]))], all.Sum(r => r.Seconds));
    }

    /// <summary>Three days of a device on <paramref name="score"/>, its counts taken hourly as a device reports them.</summary>
    private static List<FleetReport> HourlyReports(Func<int, float> score, int days = 3)
    {
        var device = new AdaptiveThreshold();
        var reports = new List<FleetReport>();
        for (var hour = 0; hour < days * 24; hour++)
        {
            AlertsPerDay(device, score, hour * 3600, 3600);
            if (device.TakeReport(3600) is { } report) reports.Add(report);
        }
        return reports;
    }

    [Fact]
    public void A_new_device_of_a_kind_the_fleet_knows_starts_where_its_fleet_settled_and_skips_the_first_days_alerts()
    {
        var noisy = Bursty(0.62f, 3600);
        var fleet = Pooled(HourlyReports(noisy));
        Assert.InRange(fleet.DeviceDays, 2.9, 3.0); // the first hour's report waits for a second scoring to count from

        var alone = new AdaptiveThreshold();
        var withFleet = new AdaptiveThreshold();
        Assert.Equal(0.5f, alone.Current(0.25f, OnePerDay));
        Assert.Equal(0.65f, withFleet.Current(0.25f, OnePerDay, fleet: fleet)); // over the bursts from its first scoring

        Assert.InRange(AlertsPerDay(alone, noisy, 0, 86_400), 1, 6);
        Assert.Equal(0, AlertsPerDay(withFleet, noisy, 0, 86_400, fleet: fleet));
    }

    [Fact]
    public void A_quiet_kind_lets_its_new_devices_start_lower_and_an_unknown_one_keeps_the_promise()
    {
        // Forty devices' week of scores never near any level.
        var quiet = Pooled(Enumerable.Repeat(HourlyReports(_ => 0.1f, days: 7), 40).SelectMany(r => r));
        Assert.Equal(0.3f, new AdaptiveThreshold().Current(0.25f, OnePerDay, fleet: quiet));
        Assert.Equal(0.5f, new AdaptiveThreshold().Current(0.25f, OnePerDay, fleet: FleetPrior.None));
        Assert.Equal(0.6f, new AdaptiveThreshold().Current(0.6f, OnePerDay, fleet: quiet)); // never below the bundle's threshold
    }

    [Fact]
    public void A_young_fleets_counts_lean_on_the_promise()
    {
        // One device-hour that happened to alert at 0.5: on its own it would say 24 a day, shrunk towards the promise
        // (PromiseDeviceDays) it says about 1.9 at 0.5, still over a budget of 1, and little at 0.55 and up.
        var alerts = new float[AdaptiveThreshold.RungCount];
        alerts[Array.IndexOf(AdaptiveThreshold.Levels, 0.5f)] = 1;
        var hour = new FleetPrior([.. alerts.Select(a => a * 24)], 1 / 24.0);
        Assert.Equal(0.55f, new AdaptiveThreshold().Current(0.25f, OnePerDay, fleet: hour));
    }

    [Fact]
    public void Counts_are_reported_once_they_cover_enough_data_and_a_failed_report_gives_them_back()
    {
        var device = new AdaptiveThreshold();
        AlertsPerDay(device, Bursty(0.62f, 600), 0, 1_800); // three bursts in half an hour
        Assert.Null(device.TakeReport(3_600));

        AlertsPerDay(device, Bursty(0.62f, 600), 1_800, 1_801);
        var report = device.TakeReport(3_600);
        Assert.NotNull(report);
        Assert.Equal(3_600, report.Seconds); // from the first scoring to the last
        Assert.Equal(6, report.Alerts[Array.IndexOf(AdaptiveThreshold.Levels, 0.5f)]);
        Assert.Equal(0, report.Alerts[Array.IndexOf(AdaptiveThreshold.Levels, 0.65f)]);
        Assert.Null(device.TakeReport(0.5)); // started again from nothing

        device.Unreport(report);
        Assert.Equal(report.Alerts, device.TakeReport(3_600)!.Alerts);
    }
}
