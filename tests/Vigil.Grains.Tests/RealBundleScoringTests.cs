using Vigil.Contracts;
using Vigil.Grains.Tests.Support;
using Xunit.Abstractions;

namespace Vigil.Grains.Tests;

/// <summary>The shipped lstm-dcnn bundle (models/lstm-dcnn), loaded by the real catalog and loader, scoring through the grains.</summary>
public sealed class RealBundleScoringTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_shipped_forecaster_scores_a_calm_stream_low_and_a_level_jump_as_an_alert()
    {
        await using var cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Models:Path"] = TestRepo.Models,
            ["Vigil:Silo:Device"] = "cpu",
            ["Vigil:Scoring:Stride"] = "1",
            ["Vigil:Batching:MaxQueueDelayMs"] = "2",
        }, models: null);
        var model = cluster.Client.GetGrain<IModelGrain>(GrainKeys.ForModel("lstm-dcnn", GrainKeys.LatestVersion, 0));
        var info = await model.GetInfoAsync();
        Assert.Equal("lstm-dcnn", info.Kind);
        Assert.InRange(info.ThresholdScore, 0.01f, 0.99f);

        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-real", "temp"));
        var calm = new List<ScorePoint>();
        for (var b = 0; b < 8; b++)
            calm.AddRange((await device.AppendAsync(Readings.Batch(b * 40, 40, Readings.Calm))).NewScores);
        // Scoring starts once the ring holds window + horizon readings; the score needs 50 errors of history.
        Assert.Equal(320 - info.InputLength + 1, calm.Count);
        Assert.All(calm, s => Assert.True(float.IsFinite(s.RawError) && s.RawError >= 0));
        Assert.All(calm, s => Assert.InRange(s.Score, 0f, 1f));
        var settled = calm.Skip(60).ToList();
        // The shipped calibration flags ~0.3 % of training windows; allow a few calm false alarms, not a habit.
        var falseAlarms = settled.Count(s => s.Score >= s.Threshold);
        Assert.InRange(falseAlarms, 0, settled.Count / 20);

        var jump = await device.AppendAsync(Readings.Batch(320, 5, i => Readings.Calm(i) + 25));
        var calmRaw = settled.Select(s => s.RawError).Order().ToList()[settled.Count / 2];
        output.WriteLine($"{info.Kind} {info.Version}: calm median raw {calmRaw:0.000}, max score {settled.Max(s => s.Score):0.000}, {falseAlarms}/{settled.Count} calm scorings at or above threshold; " +
                         $"jump raw {string.Join(" ", jump.NewScores.Select(s => s.RawError.ToString("0.0")))}, scores {string.Join(" ", jump.NewScores.Select(s => s.Score.ToString("0.000")))}, threshold {jump.NewScores[0].Threshold:0.000}");
        Assert.True(jump.NewScores[0].RawError > 10 * calmRaw);
        Assert.All(jump.NewScores, s => Assert.True(s.Score >= s.Threshold, $"jump score {s.Score} < {s.Threshold}"));
        Assert.NotNull(jump.OpenAlert);
    }
}
