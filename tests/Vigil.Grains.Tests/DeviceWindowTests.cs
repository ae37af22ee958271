using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>Window, stride and the ingest rules for duplicates and out-of-order readings (one cluster for all).</summary>
public sealed class DeviceWindowTests : IAsyncLifetime
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

    private IDeviceGrain Device(string name) => cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-w", name));

    [Fact]
    public async Task Window_keeps_the_last_readings_and_scores_every_stride_once_full()
    {
        var device = Device("stride");
        var first = await device.AppendAsync(Readings.Batch(0, 12, i => i));
        // Readings 5 and 10 reach the stride; only at 10 does the ring hold the model's 10-reading input.
        Assert.Equal(12, first.Accepted);
        Assert.Equal([Readings.Start.AddSeconds(9)], first.NewScores.Select(s => s.T));

        var second = await device.AppendAsync(Readings.Batch(12, 18, i => i));
        Assert.Equal([14, 19, 24, 29], second.NewScores.Select(s => (int)(s.T - Readings.Start).TotalSeconds));

        var snapshot = await device.GetSnapshotAsync();
        Assert.Equal(20, snapshot.Window);
        Assert.Equal(20, snapshot.Filled);
        Assert.Equal(1, snapshot.Channels);
        Assert.Equal(30, snapshot.TotalAccepted);
        Assert.Equal(Enumerable.Range(10, 20).Select(i => (float)i), snapshot.LastReadings.Select(r => r.V[0]));
        Assert.Equal(Enumerable.Range(10, 20).Select(i => Readings.Start.AddSeconds(i)), snapshot.LastReadings.Select(r => r.T));
        Assert.Equal(5, snapshot.LastScores.Length);
        Assert.Equal("v1", snapshot.ModelVersion);
        Assert.Equal(0.5f, snapshot.Threshold);
    }

    [Fact]
    public async Task Exact_duplicates_are_ignored_and_counted()
    {
        var device = Device("dup");
        await device.AppendAsync(Readings.Batch(0, 5, i => i));

        var retry = await device.AppendAsync(Readings.Batch(2, 5, i => i)); // 2..4 stored already, 5 and 6 new

        Assert.True(retry.Applied);
        Assert.Equal(2, retry.Accepted);
        Assert.Equal(3, retry.Duplicates);
        var snapshot = await device.GetSnapshotAsync();
        Assert.Equal(7, snapshot.TotalAccepted);
        Assert.Equal(3, snapshot.TotalDuplicates);
    }

    [Fact]
    public async Task Slightly_late_readings_are_ignored_and_older_ones_rejected_with_a_reason()
    {
        var device = Device("late");
        await device.AppendAsync(Readings.Batch(0, 10, i => i)); // last at +9 s

        var late = await device.AppendAsync(new ReadingBatch([new Reading(Readings.Start.AddSeconds(6.5), [1])]));
        Assert.True(late.Applied);
        Assert.Equal((0, 1), (late.Accepted, late.Late));

        var old = await device.AppendAsync(new ReadingBatch([new Reading(Readings.Start.AddSeconds(-60), [1])]));
        Assert.False(old.Applied);
        var rejection = Assert.Single(old.Rejections);
        Assert.Equal(0, rejection.Index);
        Assert.Contains("timestamps must increase", rejection.Reason);

        var conflict = await device.AppendAsync(new ReadingBatch([new Reading(Readings.Start.AddSeconds(8), [123])]));
        Assert.Contains("different values", Assert.Single(conflict.Rejections).Reason);
    }

    [Fact]
    public async Task A_batch_with_any_bad_reading_is_not_applied_at_all()
    {
        var device = Device("atomic");
        await device.AppendAsync(Readings.Batch(0, 3, i => i));
        var before = await device.GetSnapshotAsync();

        var result = await device.AppendAsync(new ReadingBatch(
        [
            new Reading(Readings.Start.AddSeconds(3), [3]),
            new Reading(Readings.Start.AddSeconds(4), [float.NaN]),
            new Reading(Readings.Start.AddSeconds(5), [5, 6]),
            new Reading(Readings.Start.AddSeconds(6), [6]),
        ]));

        Assert.False(result.Applied);
        Assert.Equal(0, result.Accepted);
        Assert.Equal([1, 2], result.Rejections.Select(r => r.Index));
        Assert.Contains("finite", result.Rejections[0].Reason);
        Assert.Contains("1 channel", result.Rejections[1].Reason);
        var after = await device.GetSnapshotAsync();
        Assert.Equal(before.TotalAccepted, after.TotalAccepted);
        Assert.Equal(before.LastReadings.Select(r => r.T), after.LastReadings.Select(r => r.T));
    }

    [Fact]
    public async Task Multi_channel_devices_keep_their_channels_and_are_scored_per_channel_by_single_channel_models()
    {
        var device = Device("multi");
        var result = await device.AppendAsync(new ReadingBatch(
            [.. Enumerable.Range(0, 10).Select(i => new Reading(Readings.Start.AddSeconds(i), [i, -i, 2 * i]))]));

        Assert.Equal(10, result.Accepted);
        Assert.Single(result.NewScores);
        var snapshot = await device.GetSnapshotAsync();
        Assert.Equal(3, snapshot.Channels);
        Assert.Equal([9f, -9f, 18f], snapshot.LastReadings[^1].V);
    }
}
