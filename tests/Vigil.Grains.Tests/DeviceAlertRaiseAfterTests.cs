using Vigil.Contracts;
using Vigil.Grains.Tests.Support;
using Xunit.Abstractions;

namespace Vigil.Grains.Tests;

/// <summary><c>Vigil:Scoring:RaiseAfter</c>: an alert only after that many consecutive scorings over the threshold.</summary>
public sealed class DeviceAlertRaiseAfterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private VigilTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Scoring:Window"] = "60",
            ["Vigil:Scoring:Stride"] = "1",
            ["Vigil:Scoring:RaiseAfter"] = "2",
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
        }, TestModels.WithLastStep(0.3f));
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task One_scoring_over_the_threshold_raises_nothing_and_two_in_a_row_raise_an_alert()
    {
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-r", "temp"));
        for (var b = 0; b < 4; b++)
            Assert.Null((await device.AppendAsync(Readings.Batch(b * 30, 30, Readings.Calm))).OpenAlert);

        // A lone spike: its scoring is over the threshold, the next calm one is not, so the streak starts again.
        var lone = await device.AppendAsync(Readings.Batch(120, 1, _ => 10_000));
        var spikeScore = Assert.Single(lone.NewScores);
        Assert.True(spikeScore.Score >= spikeScore.Threshold, $"spike score {spikeScore.Score} < {spikeScore.Threshold}");
        Assert.Null(lone.OpenAlert);
        var calm = await device.AppendAsync(Readings.Batch(121, 20, Readings.Calm));
        Assert.Null(calm.OpenAlert);
        Assert.Empty(await cluster.Client.GetGrain<IHomeGrain>(GrainKeys.ForHome("home-r")).GetRecentAlertsAsync());

        // Two spikes in a row: the second scoring completes the streak and raises the alert at its time.
        var pair = await device.AppendAsync(Readings.Batch(141, 2, i => 20_000 * (i - 140)));
        output.WriteLine(string.Join("\n", pair.NewScores.Select(s => $"{s.T:mm:ss} score {s.Score:0.000} thr {s.Threshold:0.000}")));
        Assert.All(pair.NewScores, s => Assert.True(s.Score >= s.Threshold, $"score {s.Score} < {s.Threshold}"));
        var alert = Assert.IsType<AlertRecord>(pair.OpenAlert);
        Assert.Equal(Readings.Start.AddSeconds(142), alert.RaisedAt);
        Assert.Equal(alert.Id, Assert.Single(await cluster.Client.GetGrain<IHomeGrain>(GrainKeys.ForHome("home-r")).GetRecentAlertsAsync()).Id);
    }
}
