using Orleans.Hosting;
using StackExchange.Redis;
using Vigil.Contracts;
using Vigil.Grains;
using Vigil.Grains.Devices;
using Vigil.Grains.Tests.Support;
using Vigil.Testing;

namespace Vigil.Grains.Tests;

/// <summary>
/// Devices that declare a kind pool what their thresholds learn: a new device of a kind the fleet knows starts where
/// the fleet's counts put it, not from the score's promise; a device of no kind, or of another kind, does not.
/// </summary>
public sealed class DeviceFleetPriorTests
{
    /// <summary>A square wave (errors all alike) with a step to 25 every 20 minutes: an error beyond any it has made.</summary>
    private static float Stepping(int i) => i % 1200 == 1199 ? 25 : i % 2 == 0 ? 19 : 21;

    private static Task<VigilTestCluster> StartAsync() => VigilTestCluster.StartAsync(new()
    {
        ["Vigil:Scoring:Window"] = "60",
        ["Vigil:Batching:MaxQueueDelayMs"] = "0",
    }, TestModels.WithLastStep(0.3f));

    private static async Task<float?> ThresholdAfterFirstReadingsAsync(IDeviceGrain device)
    {
        Assert.True((await device.AppendAsync(Readings.Batch(0, 120, Stepping))).Applied);
        return (await device.GetSnapshotAsync()).Threshold;
    }

    [Fact]
    public async Task A_new_device_of_a_kind_whose_devices_alert_every_twenty_minutes_starts_at_the_top_of_the_ladder()
    {
        await using var cluster = await StartAsync();
        var veteran = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-a", "meter"));
        await veteran.SetKindAsync("power");
        for (var from = 0; from < 3 * 3600; from += 600)
            Assert.True((await veteran.AppendAsync(Readings.Batch(from, 600, Stepping))).Applied);

        var fleet = await cluster.Client.GetGrain<IFleetPriorGrain>(GrainKeys.ForFleet("lstm-dcnn", "power")).GetAsync();
        Assert.InRange(fleet.DeviceDays, 1.9 / 24, 3.0 / 24); // hourly reports, from its first scored hour
        Assert.True(fleet.AlertsPerDay[Array.IndexOf(AdaptiveThreshold.Levels, AdaptiveThreshold.Ceiling)] > 24, string.Join(", ", fleet.AlertsPerDay));

        var newMeter = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-b", "meter"));
        await newMeter.SetKindAsync("power");
        var noKind = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-c", "meter"));
        var otherKind = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-d", "meter"));
        await otherKind.SetKindAsync("temperature");

        Assert.Equal(AdaptiveThreshold.Ceiling, await ThresholdAfterFirstReadingsAsync(newMeter));
        Assert.Equal(0.5f, await ThresholdAfterFirstReadingsAsync(noKind)); // the promise: one false alert a day
        Assert.Equal(0.5f, await ThresholdAfterFirstReadingsAsync(otherKind));
        var snapshot = await newMeter.GetSnapshotAsync();
        Assert.Equal("power", snapshot.Kind);
        Assert.Null((await noKind.GetSnapshotAsync()).Kind);
    }

    [Fact]
    public async Task A_kind_and_the_fleets_counts_survive_deactivation_through_redis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await VigilTestCluster.StartAsync(new() { ["Vigil:Batching:MaxQueueDelayMs"] = "0" }, TestModels.WithLastStep(0.3f),
            storage: silo => silo.AddRedisGrainStorage(GrainStorage.Name, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis.ConnectionString)));
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-k", "sensor"));
        await Assert.ThrowsAsync<ArgumentException>(() => device.SetKindAsync("no spaces"));
        await device.SetKindAsync("co2");
        var fleet = cluster.Client.GetGrain<IFleetPriorGrain>(GrainKeys.ForFleet("lstm-dcnn", "co2"));
        await fleet.ReportAsync(new FleetReport(new float[AdaptiveThreshold.RungCount], 3_600, 1_800_000_000_000));

        foreach (var grain in new IAddressable[] { device, fleet })
        {
            await cluster.Cluster.DeactivateAsync(grain);
            await cluster.Cluster.WaitForDeactivationAsync(grain);
        }
        Assert.Equal("co2", (await device.GetSnapshotAsync()).Kind);
        Assert.Equal(1 / 24.0, (await fleet.GetAsync()).DeviceDays, 9);
    }

    [Fact]
    public async Task The_fleet_forgets_along_its_newest_data_time_and_refuses_malformed_reports()
    {
        await using var cluster = await StartAsync();
        var fleet = cluster.Client.GetGrain<IFleetPriorGrain>(GrainKeys.ForFleet("lstm-dcnn", "door"));
        Assert.Equal(0, (await fleet.GetAsync()).DeviceDays);

        var alerts = new float[AdaptiveThreshold.RungCount];
        alerts[0] = 10;
        const long day0 = 1_800_000_000_000;
        await fleet.ReportAsync(new FleetReport(alerts, 86_400, day0));
        var week = (long)(AdaptiveThreshold.MemoryDays * 86_400_000);
        var prior = await fleet.ReportAsync(new FleetReport(new float[AdaptiveThreshold.RungCount], 86_400, day0 + week));
        // The first day's counts and time both kept e^-1: 10/e alerts over 1 + 1/e days.
        Assert.Equal(1 + Math.Exp(-1), prior.DeviceDays, 6);
        Assert.Equal(10 * Math.Exp(-1) / (1 + Math.Exp(-1)), prior.AlertsPerDay[0], 4);
        // A late report (another device behind) adds without turning the clock back.
        prior = await fleet.ReportAsync(new FleetReport(new float[AdaptiveThreshold.RungCount], 86_400, day0));
        Assert.Equal(2 + Math.Exp(-1), prior.DeviceDays, 6);

        await Assert.ThrowsAsync<ArgumentException>(() => fleet.ReportAsync(new FleetReport([1, 2], 10, day0)));
        await Assert.ThrowsAsync<ArgumentException>(() => fleet.ReportAsync(new FleetReport(new float[AdaptiveThreshold.RungCount], double.NaN, day0)));
        Assert.Equal(2 + Math.Exp(-1), (await fleet.GetAsync()).DeviceDays, 6);
    }
}
