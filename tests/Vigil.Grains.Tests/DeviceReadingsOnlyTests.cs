using Vigil.Contracts;
using Vigil.Grains.Devices;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// A device whose normal errors reach a score of 1 more often than its budget allows (a power meter's appliance
/// steps) moves to the readings-only rung: its errors stop alerting, a reading outside everything it has shown still
/// alerts, and the alert says why.
/// </summary>
public sealed class DeviceReadingsOnlyTests
{
    /// <summary>
    /// A square wave between 19 and 21 (its errors all alike) after one reading of 30 (which widens the range before the
    /// range is judged), and every 20 minutes a step to 25: inside the range, but an error far beyond any it has made.
    /// </summary>
    private static float Stepping(int i) => i == 0 ? 30 : i % 1200 == 1199 ? 25 : i % 2 == 0 ? 19 : 21;

    [Fact]
    public async Task Errors_that_reach_one_three_times_an_hour_stop_alerting_and_a_reading_out_of_range_still_alerts()
    {
        await using var cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Scoring:Window"] = "60",
            ["Vigil:Scoring:ReadingSignalWarmupHours"] = "0", // the reading tests speak from the start
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
        }, TestModels.WithLastStep(0.3f));
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-p", "power"));
        var alerts = new List<AlertRecord>();
        var stepScores = new List<float>();
        for (var from = 0; from < 4 * 1200; from += 600)
        {
            var result = await device.AppendAsync(Readings.Batch(from, 600, Stepping));
            Assert.True(result.Applied);
            stepScores.AddRange(result.NewScores.Where(s => (s.T - Readings.Start).TotalSeconds % 1200 == 1199).Select(s => s.Score));
            if (result.OpenAlert is { } open && !alerts.Any(a => a.Id == open.Id)) alerts.Add(open);
        }

        Assert.True(stepScores.Count(s => s >= AdaptiveThreshold.Ceiling) >= 3, $"steps scored {string.Join(", ", stepScores)}"); // 1s, errors only
        Assert.Single(alerts); // the first step, at the promised level; by the second its count ruled out every level
        Assert.Equal(AdaptiveThreshold.ReadingsOnly, (await device.GetSnapshotAsync()).Threshold);

        var stepAgain = await device.AppendAsync(Readings.Batch(4800, 1200, Stepping));
        Assert.Null(stepAgain.OpenAlert);

        var outOfRange = await device.AppendAsync(Readings.Batch(6000, 1, _ => 40));
        var alert = Assert.IsType<AlertRecord>(outOfRange.OpenAlert);
        Assert.Equal(AdaptiveThreshold.ReadingsOnly, alert.Threshold);
        Assert.Contains("reading out of its range or stuck", alert.Message, StringComparison.Ordinal);
        var home = await cluster.Client.GetGrain<IHomeGrain>(GrainKeys.ForHome("home-p")).GetRecentAlertsAsync();
        Assert.Equal(2, home.Length);
    }
}
