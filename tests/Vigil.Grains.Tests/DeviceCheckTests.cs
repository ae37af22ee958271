using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// <see cref="IDeviceGrain.CheckAsync"/>: the verdict Append would reach, with nothing stored; and Append still
/// re-validates, so a check that a concurrent write overtook cannot half-apply a batch.
/// </summary>
public sealed class DeviceCheckTests : IAsyncLifetime
{
    private VigilTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Scoring:Window"] = "20",
            ["Vigil:Scoring:Stride"] = "5",
            ["Vigil:Scoring:ReorderToleranceSeconds"] = "5",
            ["Vigil:Batching:MaxQueueDelayMs"] = "1",
        }, TestModels.WithLastStep(0.5f));
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private IDeviceGrain Device(string name) => cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-c", name));

    [Fact]
    public async Task A_check_gives_Appends_verdict_and_stores_nothing()
    {
        var device = Device("same");
        await device.AppendAsync(Readings.Batch(0, 10, i => i)); // last at +9 s
        var batch = new ReadingBatch(
        [
            new Reading(Readings.Start.AddSeconds(8), [8]),    // duplicate
            new Reading(Readings.Start.AddSeconds(7.5), [1]),  // late, within 5 s
            new Reading(Readings.Start.AddSeconds(10), [10]),  // new
            new Reading(Readings.Start.AddSeconds(11), [11]),  // new
        ]);

        var check = await device.CheckAsync(batch);
        var again = await device.CheckAsync(batch);
        var snapshot = await device.GetSnapshotAsync();

        Assert.True(check.Applied);
        Assert.Equal((2, 1, 1), (check.Accepted, check.Duplicates, check.Late));
        Assert.Empty(check.NewScores);
        Assert.Equal((check.Accepted, check.Duplicates, check.Late), (again.Accepted, again.Duplicates, again.Late));
        Assert.Equal(10, snapshot.TotalAccepted);
        Assert.Equal(0, snapshot.TotalDuplicates);
        Assert.Equal(Readings.Start.AddSeconds(9), snapshot.LastReadings[^1].T);

        var append = await device.AppendAsync(batch);
        Assert.Equal((check.Applied, check.Accepted, check.Duplicates, check.Late), (append.Applied, append.Accepted, append.Duplicates, append.Late));
    }

    [Fact]
    public async Task A_check_refuses_what_only_the_devices_state_makes_bad()
    {
        var device = Device("state");
        await device.AppendAsync(Readings.Batch(0, 10, i => i));

        var result = await device.CheckAsync(new ReadingBatch(
        [
            new Reading(Readings.Start.AddSeconds(10), [10]),
            new Reading(Readings.Start.AddSeconds(-60), [1]),     // far behind the window
            new Reading(Readings.Start.AddSeconds(11), [1, 2]),   // the device has one channel
            new Reading(Readings.Start.AddSeconds(5), [123]),     // stored timestamp, other value
        ]));

        Assert.False(result.Applied);
        Assert.Equal(0, result.Accepted);
        Assert.Equal([1, 2, 3], result.Rejections.Select(r => r.Index));
        Assert.Contains("timestamps must increase", result.Rejections[0].Reason);
        Assert.Contains("1 channel", result.Rejections[1].Reason);
        Assert.Contains("different values", result.Rejections[2].Reason);
        Assert.Equal(10, (await device.GetSnapshotAsync()).TotalAccepted);
    }

    [Fact]
    public async Task A_check_on_a_new_device_takes_the_channel_count_from_the_batch_and_creates_no_state()
    {
        var device = Device("fresh");

        var ok = await device.CheckAsync(new ReadingBatch([new Reading(Readings.Start, [1, 2]), new Reading(Readings.Start.AddSeconds(1), [3, 4])]));
        var mixed = await device.CheckAsync(new ReadingBatch([new Reading(Readings.Start, [1, 2]), new Reading(Readings.Start.AddSeconds(1), [3])]));

        Assert.True(ok.Applied);
        Assert.Equal(2, ok.Accepted);
        Assert.False(mixed.Applied);
        Assert.Equal(1, Assert.Single(mixed.Rejections).Index);
        var snapshot = await device.GetSnapshotAsync();
        Assert.Equal((0, 0L, 0), (snapshot.Filled, snapshot.TotalAccepted, snapshot.Channels));
    }

    [Fact]
    public async Task Append_revalidates_so_a_check_overtaken_by_a_concurrent_write_refuses_whole()
    {
        var device = Device("race");
        await device.AppendAsync(Readings.Batch(0, 5, i => i));
        var mine = Readings.Batch(5, 3, i => i);
        Assert.True((await device.CheckAsync(mine)).Applied);

        Assert.True((await device.AppendAsync(Readings.Batch(100, 1, i => i))).Applied); // someone else, 95 s ahead
        var append = await device.AppendAsync(mine);

        Assert.False(append.Applied);
        Assert.Equal(3, append.Rejections.Length);
        var snapshot = await device.GetSnapshotAsync();
        Assert.Equal(6, snapshot.TotalAccepted);
        Assert.Equal(Readings.Start.AddSeconds(100), snapshot.LastReadings[^1].T);
    }
}
