using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Vigil.Contracts;
using Vigil.Grains.Devices;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// A device whose stored state moved on without it (what a write looks like whose answer was lost in a Redis outage):
/// the append fails with the storage's version conflict, nothing is acknowledged, and the next append reloads and works
/// (Orleans deactivates a grain whose call throws <see cref="InconsistentStateException"/>; the silo answers 503).
/// </summary>
public sealed class DeviceStorageConflictTests : IAsyncLifetime
{
    private VigilTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await VigilTestCluster.StartAsync(new() { ["Vigil:Batching:MaxQueueDelayMs"] = "0" }, TestModels.WithLastStep(0.3f));
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_version_conflict_is_not_acknowledged_and_the_next_append_reloads_the_stored_state()
    {
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-c", "temp"));
        Assert.True((await device.AppendAsync(Readings.Batch(0, 20, Readings.Calm))).Applied);

        // Another writer stores a newer state: the same readings plus 5 more, under a new ETag.
        var services = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress);
        var storage = services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        var stored = new GrainState<DeviceState>();
        await storage.ReadStateAsync("device", device.GetGrainId(), stored);
        var twin = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-c", "twin"));
        Assert.True((await twin.AppendAsync(Readings.Batch(0, 25, Readings.Calm))).Applied);
        var twinState = new GrainState<DeviceState>();
        await storage.ReadStateAsync("device", twin.GetGrainId(), twinState);
        stored.State = twinState.State;
        await storage.WriteStateAsync("device", device.GetGrainId(), stored);

        await Assert.ThrowsAsync<InconsistentStateException>(() => device.AppendAsync(Readings.Batch(20, 5, Readings.Calm)));

        // Reloaded: readings 20..24 are already stored (duplicates), 25..29 are new.
        var retry = await device.AppendAsync(Readings.Batch(20, 10, Readings.Calm));
        Assert.True(retry.Applied);
        Assert.Equal((5, 5), (retry.Accepted, retry.Duplicates));
        Assert.Equal(30, (await device.GetSnapshotAsync()).TotalAccepted);
    }
}
