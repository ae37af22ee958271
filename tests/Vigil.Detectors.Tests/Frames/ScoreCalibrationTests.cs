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
}
