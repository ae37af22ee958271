using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using Vigil.Grains.Devices;
using StackExchange.Redis;
using Vigil.Contracts;
using Vigil.Grains.Tests.Support;
using Xunit.Abstractions;

namespace Vigil.Grains.Tests;

/// <summary>
/// An acknowledged batch is in grain storage before AppendAsync returns. Against a real redis-server: the state
/// (window included) reads back after the grain is deactivated, and what one write per batch costs.
/// </summary>
public sealed class DevicePersistenceTests(ITestOutputHelper output)
{
    private const string Kind = "lstm-dcnn";

    [Fact]
    public async Task Acknowledged_readings_survive_deactivation_through_redis_and_the_write_cost_is_measured()
    {
        await using var redis = await RedisServer.StartAsync();
        var models = new TestModels();
        models.Publish(Kind, "v1", () => new LastStepDetector(TestManifests.Series(Kind, "v1", window: 10, thresholdScore: 0.5f)));
        await using var cluster = await VigilTestCluster.StartAsync(new() { ["Vigil:Batching:MaxQueueDelayMs"] = "0" }, models,
            storage: silo => silo.AddRedisGrainStorage(GrainStorage.Name, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis.ConnectionString)));

        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-r", "temp"));
        await device.AppendAsync(Readings.Batch(0, 10, Readings.Calm)); // activation, model load
        const int batches = 200;
        var clock = Stopwatch.StartNew();
        for (var b = 1; b <= batches; b++)
            await device.AppendAsync(Readings.Batch(b * 10, 10, Readings.Calm));
        var perBatch = clock.Elapsed.TotalMilliseconds / batches;
        var before = await device.GetSnapshotAsync();

        await cluster.Cluster.DeactivateAsync(device);
        await cluster.Cluster.WaitForDeactivationAsync(device);
        var after = await device.GetSnapshotAsync();

        Assert.Equal(2010, after.TotalAccepted);
        Assert.Equal(before.LastReadings.Select(r => (r.T, r.V[0])), after.LastReadings.Select(r => (r.T, r.V[0])));
        Assert.Equal(before.LastScores, after.LastScores);
        Assert.Equal(before.Threshold, after.Threshold);
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var keys = connection.GetServer(redis.ConnectionString).Keys().Select(k => k.ToString()).ToList();
        Assert.Contains(keys, k => k.Contains("home-r/temp", StringComparison.Ordinal));
        // The write alone: the same state written to Redis through the provider, as every acknowledged batch does.
        var storage = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        var state = new GrainState<DeviceState>();
        await storage.ReadStateAsync("device", device.GetGrainId(), state);
        var copy = GrainId.Create("devicegrain", "home-r/copy");
        state.ETag = null; // a new record: the first write creates it, each next one carries the ETag it got back
        state.RecordExists = false;
        clock.Restart();
        for (var i = 0; i < batches; i++)
            await storage.WriteStateAsync("device", copy, state);
        var perWrite = clock.Elapsed.TotalMilliseconds / batches;
        output.WriteLine($"redis write of one device state (60-reading window): {perWrite:0.000} ms");
        output.WriteLine($"redis grain storage: {batches} batches × 10 readings, write-before-ack, one device in sequence: {perBatch:0.00} ms per batch (incl. scoring 10 windows)");
    }
}
