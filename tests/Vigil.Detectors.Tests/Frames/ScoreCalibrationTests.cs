using Vigil.Detectors.Frames;

namespace Vigil.Detectors.Tests.Frames;

public sealed class ScoreCalibrationTests
{
    private static readonly float[] Normal = Enumerable.Range(0, 1001).Select(i => i / 1000f).ToArray();

    [Fact]
    public void Threshold_maps_to_one_half_and_the_median_to_five_percent()
    {
        var c = ScoreCalibration.Fit(Normal, tilesPerFrame: 1, frameFalseAlarmRate: 0.01);
        Assert.Equal(0.99, c.Threshold, 6);
        Assert.Equal(0.5, c.Score(c.Threshold), 6);
        Assert.Equal(0.05, c.Score(0.5), 6);
    }

    [Fact]
    public void More_tiles_per_frame_raise_the_tile_threshold()
    {
        var one = ScoreCalibration.Fit(Normal, 1);
        var sixteen = ScoreCalibration.Fit(Normal, 16);
        Assert.True(sixteen.Threshold > one.Threshold);
        Assert.Equal(Math.Pow(0.99, 1 / 16.0), sixteen.Threshold, 3);
    }

    [Fact]
    public void Scores_are_monotonic_and_bounded()
    {
        var c = ScoreCalibration.Fit(Normal, 16);
        var previous = -1.0;
        foreach (var raw in new[] { -1e9, -5, 0, 0.3, 0.9, 1, 2, 1e9 })
        {
            var s = c.Score(raw);
            Assert.InRange(s, 0, 1);
            Assert.True(s >= previous);
            previous = s;
        }
    }

    [Fact]
    public void Too_few_or_non_finite_values_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ScoreCalibration.Fit(new float[5], 1));
        Assert.Throws<ArgumentException>(() => ScoreCalibration.Fit([.. Normal, float.NaN], 1));
    }
    /// <summary>
    /// Tiles whose raw values have an exponential tail, the promise's assumption: exponential(1) quantiles, fitted as
    /// training fits them. The share of 16-tile frames over a score then follows from the distribution itself; the
    /// promise must reproduce it from the calibration's own two points.
    /// </summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void The_promised_frame_share_is_what_an_exponential_tile_tail_gives(double score)
    {
        const int n = 200_000;
        var raw = Enumerable.Range(0, n).Select(i => (float)-Math.Log(1 - (i + 0.5) / n)).ToArray();
        var c = ScoreCalibration.Fit(raw, 16);
        // Invert the logistic: the raw value a tile needs for this score, and how many exponential(1) tiles pass it.
        var rawAtScore = c.Threshold + c.Scale * Math.Log(score / (1 - score));
        var expected = 1 - Math.Pow(1 - Math.Exp(-rawAtScore), 16);

        var promised = ScoreCalibration.PromisedFrameShare(score, 16);

        Assert.InRange(promised / expected, 0.97, 1.03);
    }

    [Fact]
    public void The_promise_is_the_false_alarm_rate_at_one_half_and_falls_to_zero_at_one()
    {
        Assert.Equal(0.01, ScoreCalibration.PromisedFrameShare(0.5, 16), 9);
        Assert.Equal(0.05, ScoreCalibration.PromisedFrameShare(0.5, 4, 0.05), 9);
        // Strictly falling over the thresholds' ladder (0.30 up); below it the share saturates at 1.
        var levels = Enumerable.Range(30, 70).Select(i => ScoreCalibration.PromisedFrameShare(i / 100.0, 16)).ToArray();
        Assert.All(levels.Zip(levels.Skip(1)), pair => Assert.True(pair.Second < pair.First));
        Assert.Equal(0, ScoreCalibration.PromisedFrameShare(1, 16));
        Assert.Equal(1, ScoreCalibration.PromisedFrameShare(0, 16));
    }
}
