using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

public sealed class SeriesCalibrationTests
{
    [Fact]
    public void The_raw_threshold_is_the_997th_permille_of_training_errors_and_is_recorded_with_its_rule()
    {
        var errors = Enumerable.Range(1, 1_000).Select(i => i / 1_000f).Reverse().ToArray();
        var result = SeriesCalibration.Calibrate(errors);
        Assert.Equal(0.997, result.Threshold.RawValue, 3);
        Assert.Contains("99.7th percentile", result.Threshold.Rule);
        Assert.Equal(1.0, result.MaxError, 6);
    }

    [Fact]
    public void The_threshold_on_the_score_scale_is_what_stream_scoring_gives_that_error()
    {
        var random = new Random(7);
        var errors = Enumerable.Range(0, 5_000).Select(_ => (float)Math.Exp(0.5 * Gaussian(random))).ToArray();
        var result = SeriesCalibration.Calibrate(errors);
        // Errors far above the floor are nearly log-normal; their 99.7th percentile sits near z = 2.75, a tail of
        // ~0.003, so the score is near log(0.003)/log(1e-10) = 0.25.
        Assert.InRange(result.Threshold.Score, 0.2, 0.3);
        var state = StreamScore.FromPrior(result.LogErrorMean, result.LogErrorStd, 1_000);
        state = state with { Recent = Math.Log(result.Threshold.RawValue + StreamScoreOptions.Default.ErrorFloor) };
        var options = StreamScoreOptions.Default with { RecentWeight = 1 };
        Assert.Equal(result.Threshold.Score, StreamScore.Update(ref state, result.Threshold.RawValue, options), 2);
    }

    [Fact]
    public void Percentiles_interpolate_between_ranks() =>
        Assert.Equal(2.5, SeriesCalibration.PercentileOfSorted([1f, 2f, 3f, 4f], 50), 6);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
