using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

public sealed class ModelBatchingTests
{
    private const string Kind = "lstm-dcnn";

    [Fact]
    public async Task Concurrent_requests_share_forward_passes_and_each_caller_gets_its_own_score()
    {
        var models = new TestModels();
        models.Publish(Kind, "v1", () => new LastStepDetector(TestManifests.Series(Kind, "v1", window: 8, thresholdScore: 0.5f)));
        await using var cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Batching:MaxBatchSize"] = "32",
            ["Vigil:Batching:MaxQueueDelayMs"] = "50",
        }, models);
        var model = cluster.Client.GetGrain<IModelGrain>(GrainKeys.ForModel(Kind, GrainKeys.LatestVersion, 0));
        await model.GetInfoAsync();

        var requests = Enumerable.Range(0, 96).Select(i =>
        {
            var inputs = new float[8];
            inputs[^1] = i * 0.25f - 7; // a distinct last value per caller, so mixed-up answers would show
            return inputs;
        }).ToArray();
        var results = await Task.WhenAll(requests.Select((inputs, i) => model.ScoreSeriesAsync(new SeriesScoreRequest($"h/d{i}", inputs))));

        for (var i = 0; i < requests.Length; i++)
            Assert.Equal(LastStepDetector.Expected(requests[i], 1, 1f), results[i].RawError);
        var detector = Assert.Single(models.Loaded);
        Assert.Equal(96, detector.BatchSizes.Sum());
        Assert.True(detector.BatchSizes.Max() > 1, $"batches: {string.Join(",", detector.BatchSizes)}");
        Assert.True(detector.BatchSizes.Length < 96 / 2, $"expected few passes, got {detector.BatchSizes.Length}: {string.Join(",", detector.BatchSizes)}");
        Assert.All(detector.BatchSizes, size => Assert.InRange(size, 1, 32));
        Assert.Contains(results, r => r.BatchSize > 1);
    }

    [Fact]
    public async Task Several_windows_in_one_call_are_answered_in_order_and_a_malformed_one_queues_nothing()
    {
        var models = new TestModels();
        models.Publish(Kind, "v1", () => new LastStepDetector(TestManifests.Series(Kind, "v1", window: 8, thresholdScore: 0.5f)));
        await using var cluster = await VigilTestCluster.StartAsync(new() { ["Vigil:Batching:MaxBatchSize"] = "4" }, models);
        var model = cluster.Client.GetGrain<IModelGrain>(GrainKeys.ForModel(Kind, GrainKeys.LatestVersion, 0));
        await model.GetInfoAsync();

        var windows = Enumerable.Range(0, 10).Select(i =>
        {
            var inputs = new float[8];
            inputs[^1] = i - 4.5f;
            return new SeriesScoreRequest("h/d", inputs);
        }).ToArray();
        var results = await model.ScoreSeriesManyAsync(windows);

        Assert.Equal(windows.Length, results.Length);
        for (var i = 0; i < windows.Length; i++)
            Assert.Equal(LastStepDetector.Expected(windows[i].Inputs, 1, 1f), results[i].RawError);
        var detector = Assert.Single(models.Loaded);
        Assert.Equal(10, detector.BatchSizes.Sum());
        Assert.All(detector.BatchSizes, size => Assert.InRange(size, 1, 4)); // each window still obeys the batch limit

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            model.ScoreSeriesManyAsync([windows[0], new SeriesScoreRequest("h/d", new float[7]), windows[1]]));
        Assert.Contains("request 1 has 7", error.Message);
        Assert.Equal(10, detector.BatchSizes.Sum());
    }

    [Fact]
    public async Task Concurrent_devices_are_scored_in_shared_batches()
    {
        var models = new TestModels();
        models.Publish(Kind, "v1", () => new LastStepDetector(TestManifests.Series(Kind, "v1", window: 10, thresholdScore: 0.5f)));
        await using var cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Batching:MaxQueueDelayMs"] = "50",
            ["Vigil:Batching:SlotsPerModel"] = "1",
            ["Vigil:Scoring:Stride"] = "10",
        }, models);

        var start = DateTimeOffset.Parse("2026-11-22T10:00:00Z");
        var appends = Enumerable.Range(0, 40).Select(d =>
            cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-1", $"dev-{d}")).AppendAsync(new ReadingBatch(
                [.. Enumerable.Range(0, 10).Select(i => new Reading(start.AddSeconds(i), [d + MathF.Sin(i)]))])));
        var results = await Task.WhenAll(appends);

        Assert.All(results, r => Assert.Equal(10, r.Accepted));
        Assert.All(results, r => Assert.Single(r.NewScores));
        var detector = Assert.Single(models.Loaded);
        Assert.Equal(40, detector.BatchSizes.Sum());
        Assert.True(detector.BatchSizes.Max() > 1, $"batches: {string.Join(",", detector.BatchSizes)}");
    }
}
