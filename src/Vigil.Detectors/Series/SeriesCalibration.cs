using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Series;

/// <summary>
/// The calibrated decision rule of a series bundle, from the raw errors on the training windows:
/// raw threshold = the <see cref="Percentile"/>th percentile of training errors (the seed read 0.65 off a
/// histogram; DeepMaly flags the top 0.3 %), and the same threshold on the [0, 1] scale = the <see cref="StreamScore"/>
/// of that error under the training log-error distribution. The log-error mean/std are kept in the manifest as the
/// prior a new stream's <see cref="StreamScoreState"/> starts from.
/// </summary>
public static class SeriesCalibration
{
    public const double Percentile = 99.7;
    public const string LogErrorMeanKey = "trainLogErrorMean";
    public const string LogErrorStdKey = "trainLogErrorStd";

    public sealed record Result(ThresholdSpec Threshold, double LogErrorMean, double LogErrorStd, double MeanError, double MaxError);

    public static Result Calibrate(ReadOnlySpan<float> trainingErrors, StreamScoreOptions? options = null)
    {
        if (trainingErrors.Length == 0) throw new ArgumentException("no training errors to calibrate on.");
        var o = options ?? StreamScoreOptions.Default;
        var sorted = trainingErrors.ToArray();
        Array.Sort(sorted);
        var raw = PercentileOfSorted(sorted, Percentile);

        double sum = 0, sumSq = 0;
        foreach (var e in sorted)
        {
            var u = Math.Log(e + o.ErrorFloor);
            sum += u;
            sumSq += u * u;
        }
        var mean = sum / sorted.Length;
        var std = Math.Max(Math.Sqrt(Math.Max(sumSq / sorted.Length - mean * mean, 0)), o.MinStd);
        var score = StreamScore.FromTailProbability(StreamScore.UpperTail((Math.Log(raw + o.ErrorFloor) - mean) / std));
        var rule = $"raw = {Percentile}th percentile of the training errors ({sorted.Length} windows); " +
                   "score = StreamScore of that error under the training log-error distribution (Gaussian tail, log scale)";
        return new Result(new ThresholdSpec(raw, Math.Round(score, 4), rule), mean, std, sorted.Average(e => (double)e), sorted[^1]);
    }

    /// <summary>Linear interpolation between closest ranks.</summary>
    public static double PercentileOfSorted(IReadOnlyList<float> sorted, double percentile)
    {
        if (sorted.Count == 1) return sorted[0];
        var rank = percentile / 100 * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The stream history a new device starts from: the bundle's training error distribution, worth 200 readings.</summary>
    public static StreamScoreState PriorState(BundleManifest manifest, long pseudoCount = 200) =>
        manifest.Evaluation.TryGetValue(LogErrorMeanKey, out var mean) && manifest.Evaluation.TryGetValue(LogErrorStdKey, out var std)
            ? StreamScore.FromPrior(mean, std, pseudoCount)
            : default;
}
