using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Vigil.Contracts;
using Vigil.Detectors.Scoring;
using Vigil.Grains.Devices;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// The reading's own signals (<see cref="ValueSignal"/>) in the device grain: their state persists with the grain's
/// and reads back from state written before they existed, and a live device reports a stuck sensor as
/// <c>vigil evaluate nab</c> does.
/// </summary>
public sealed class DeviceValueSignalTests : IAsyncLifetime
{
    private const string Kind = "lstm-dcnn";
    private VigilTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Scoring:Window"] = "60",
            ["Vigil:Scoring:Stride"] = "1",
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
            // 3 minutes of readings (1 per second) before they are judged; the tests below straddle it.
            ["Vigil:Scoring:ReadingSignalWarmupHours"] = "0.05",
        }, TestModels.WithLastStep(0.3f));
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public void The_readings_history_round_trips_through_orleans_binary_state()
    {
        var state = new DeviceState();
        var track = state.Track(Kind);
        var original = new StreamScoreState(300, -2.1, -2.0, 0.04, -2.05, 0.01, 0.3, Values: 300, Min: 17.5, Max: 23.25, Last: 21.125, Run: 4, LongestRun: 7);
        track.Store(original);
        var serializer = new ServiceCollection()
            .AddSerializer(b => b.AddAssembly(typeof(DeviceState).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<DeviceState>(serializer.SerializeToArray(state))!;

        Assert.Equal(original, copy.Track(Kind).Load());
    }

    [Fact]
    public void State_written_before_the_readings_signals_reads_back_with_an_empty_readings_history()
    {
        // The seven numbers a track held before ValueSignal: no reading seen yet, so the signals start learning.
        var track = new DetectorTrack { Detector = Kind, Version = "v1", History = [300, -2.1, -2.0, 0.04, -2.05, 0.01, 0.3] };

        var state = track.Load();

        Assert.Equal((300L, 0L, 0.0, 0.0, 0L), (state.Count, state.Values, state.Min, state.Max, state.LongestRun));
        track.Score("v1", 0.1f, 20f);
        Assert.Equal((301L, 1L, 20.0, 20.0), (track.Load().Count, track.Load().Values, track.Load().Min, track.Load().Max));
    }

    [Fact]
    public void A_track_scores_a_reading_never_seen_as_one_and_says_nothing_without_a_reading()
    {
        var judged = new DetectorTrack { Detector = Kind };
        var blind = new DetectorTrack { Detector = Kind };
        for (var i = 0; i < 300; i++)
        {
            judged.Score("v1", 0.1f, Readings.Calm(i));
            blind.Score("v1", 0.1f);
        }

        Assert.Equal(1f, judged.Score("v1", 0.1f, 40f));
        Assert.True(blind.Score("v1", 0.1f) < 1f);
    }

    [Fact]
    public async Task A_device_stuck_at_one_reading_scores_one_once_the_run_outlasts_its_longest_and_raises_an_alert()
    {
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-v", "temp"));
        for (var b = 0; b < 10; b++)
            await device.AppendAsync(Readings.Batch(b * 20, 20, Readings.Calm));
        Assert.Null((await device.GetSnapshotAsync()).OpenAlert);

        var stuck = Readings.Calm(200);
        // Calm readings never repeat, so the run is stuck at the a-priori minimum: the 10th identical reading.
        var minimum = StreamScoreOptions.For(Kind).StuckMinimum;
        var result = await device.AppendAsync(Readings.Batch(200, minimum, _ => stuck));

        Assert.Equal(minimum - 1, result.NewScores.ToList().FindIndex(p => p.Score >= 1f));
        Assert.NotNull(result.OpenAlert);
    }

    [Fact]
    public async Task Readings_are_not_judged_during_the_devices_warm_up_but_what_they_show_is_learned()
    {
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-v", "warming"));
        var minimum = (int)StreamScoreOptions.For(Kind).StuckMinimum;
        for (var b = 0; b < 5; b++)
            await device.AppendAsync(Readings.Batch(b * 20, 20, Readings.Calm));

        // 100 s after the first reading, inside the 180 s warm-up: a stuck spell twice the minimum is not flagged...
        var early = Readings.Calm(100);
        var during = await device.AppendAsync(Readings.Batch(100, 2 * minimum, _ => early));
        Assert.All(during.NewScores, p => Assert.True(p.Score < 1f, $"score {p.Score} during the warm-up"));
        Assert.Null(during.OpenAlert);

        for (var t = 100 + 2 * minimum; t < 200; t += 10)
            await device.AppendAsync(Readings.Batch(t, 10, Readings.Calm));

        // ...but its length was learned: after the warm-up a stuck spell must outlast twice that run to count.
        var late = Readings.Calm(200);
        var after = await device.AppendAsync(Readings.Batch(200, 4 * minimum + 2, _ => late));
        Assert.Equal(ValueSignal.StuckLength(2 * minimum, StreamScoreOptions.For(Kind)) - 1,
            after.NewScores.ToList().FindIndex(p => p.Score >= 1f));
    }
}
