using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

public sealed class ModelHotSwapTests
{
    private const string Kind = "autoencoder";

    [Fact]
    public async Task A_newer_bundle_takes_new_requests_while_queued_ones_finish_on_the_old_which_is_then_disposed()
    {
        var models = new TestModels();
        models.Publish(Kind, "20261122100000", () => new LastStepDetector(TestManifests.Series(Kind, "20261122100000", window: 4, thresholdScore: 0.5f), gain: 1));
        await using var cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Batching:MaxBatchSize"] = "1",
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
        }, models);
        var model = cluster.Client.GetGrain<IModelGrain>(GrainKeys.ForModel(Kind, GrainKeys.LatestVersion, 0));
        Assert.Equal("20261122100000", (await model.GetInfoAsync()).Version);
        var old = Assert.Single(models.Loaded);

        old.Gate.Reset();
        var inFlight = Enumerable.Range(1, 3).Select(i => model.ScoreSeriesAsync(new SeriesScoreRequest($"s{i}", [0, 0, 0, i]))).ToArray();
        Assert.True(await old.Started.WaitAsync(TimeSpan.FromSeconds(10)));

        models.Publish(Kind, "20261122110000", () => new LastStepDetector(TestManifests.Series(Kind, "20261122110000", window: 4, thresholdScore: 0.5f), gain: 10));
        var refresh = model.RefreshAsync();
        await WaitUntil(() => models.Loaded.Count == 2);
        await WaitUntil(async () => (await model.GetInfoAsync()).Version == "20261122110000");

        var fresh = await model.ScoreSeriesAsync(new SeriesScoreRequest("new", [0, 0, 0, 5]));
        Assert.Equal(("20261122110000", 50f), (fresh.Version, fresh.RawError));
        Assert.False(old.Disposed); // still draining
        Assert.False(refresh.IsCompleted);

        old.Gate.Set();
        var drained = await Task.WhenAll(inFlight);
        Assert.All(drained, r => Assert.Equal("20261122100000", r.Version));
        Assert.Equal([1f, 2f, 3f], drained.Select(r => r.RawError));
        Assert.Equal("20261122110000", (await refresh).Version);
        Assert.True(old.Disposed);
    }

    [Fact]
    public async Task A_model_grain_finds_a_newly_published_bundle_on_its_own()
    {
        var models = new TestModels();
        models.Publish(Kind, "20261122100000", () => new LastStepDetector(TestManifests.Series(Kind, "20261122100000", window: 4, thresholdScore: 0.5f)));
        await using var cluster = await VigilTestCluster.StartAsync(new() { ["Vigil:Models:RefreshSeconds"] = "0.2" }, models);
        var model = cluster.Client.GetGrain<IModelGrain>(GrainKeys.ForModel(Kind, GrainKeys.LatestVersion, 1));
        await model.GetInfoAsync();

        models.Publish(Kind, "20261122110000", () => new LastStepDetector(TestManifests.Series(Kind, "20261122110000", window: 4, thresholdScore: 0.5f)));

        await WaitUntil(async () => (await model.GetInfoAsync()).Version == "20261122110000");
        await WaitUntil(() => models.Loaded.First().Disposed);
    }

    private static Task WaitUntil(Func<bool> condition) => WaitUntil(() => Task.FromResult(condition()));

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 10 s");
            await Task.Delay(20);
        }
    }
}
