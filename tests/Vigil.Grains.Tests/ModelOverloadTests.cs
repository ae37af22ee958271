using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

public sealed class ModelOverloadTests
{
    private const string Kind = "lstm-dcnn";

    [Fact]
    public async Task A_full_queue_answers_retryable_overload_and_the_device_batch_leaves_no_trace()
    {
        var models = new TestModels();
        models.Publish(Kind, "v1", () => new LastStepDetector(TestManifests.Series(Kind, "v1", window: 4, thresholdScore: 0.5f)));
        await using var cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Batching:MaxBatchSize"] = "1",
            ["Vigil:Batching:MaxQueueLength"] = "2",
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
            ["Vigil:Batching:SlotsPerModel"] = "1",
            ["Vigil:Scoring:Stride"] = "4",
        }, models);
        var model = cluster.Client.GetGrain<IModelGrain>(GrainKeys.ForModel(Kind, GrainKeys.LatestVersion, 0));
        await model.GetInfoAsync();
        var detector = Assert.Single(models.Loaded);
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-o", "meter"));
        await device.AppendAsync(Readings.Batch(0, 2, i => i));
        var before = await device.GetSnapshotAsync();

        detector.Gate.Reset();
        var first = model.ScoreSeriesAsync(new SeriesScoreRequest("a", [0, 0, 0, 1]));
        Assert.True(await detector.Started.WaitAsync(TimeSpan.FromSeconds(10))); // held in its forward pass
        var queued = new[]
        {
            model.ScoreSeriesAsync(new SeriesScoreRequest("b", [0, 0, 0, 2])),
            model.ScoreSeriesAsync(new SeriesScoreRequest("c", [0, 0, 0, 3])),
        };
        await Task.Delay(200); // let both reach the queue

        var overloaded = await Assert.ThrowsAsync<OverloadedException>(() => model.ScoreSeriesAsync(new SeriesScoreRequest("d", [0, 0, 0, 4])));
        Assert.True(overloaded.RetryAfter > TimeSpan.Zero);
        // A device whose stride falls due while its model is overloaded refuses the whole batch, retryably.
        await Assert.ThrowsAsync<OverloadedException>(() => device.AppendAsync(Readings.Batch(2, 4, i => i)));
        var unchanged = await device.GetSnapshotAsync();
        Assert.Equal(before.TotalAccepted, unchanged.TotalAccepted);
        Assert.Equal(before.LastReadings.Select(r => r.T), unchanged.LastReadings.Select(r => r.T));

        detector.Gate.Set();
        Assert.Equal([1f, 2f, 3f], (await Task.WhenAll(queued.Prepend(first))).Select(r => r.RawError));
        var retried = await device.AppendAsync(Readings.Batch(2, 4, i => i));
        Assert.Equal(4, retried.Accepted);
        Assert.Single(retried.NewScores);
    }
}
