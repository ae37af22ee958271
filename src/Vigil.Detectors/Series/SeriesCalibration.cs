using System.Text.Json;
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

    /// <summary>Training windows the threshold is calibrated on (evenly spaced when there are more) and held-out
    /// windows its validation figures come from: what <c>vigil train</c> and a recalibration both use.</summary>
    public const int CalibrationWindows = 20_000, ValidationWindows = 5_000;

    /// <param name="errorDescription">Which raw error the errors are (e.g. <see cref="ErrorDescription"/>), stated in the rule.</param>
    public static Result Calibrate(ReadOnlySpan<float> trainingErrors, StreamScoreOptions? options = null, string? errorDescription = null)
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
        var rule = $"raw = {Percentile}th percentile of the training errors ({(errorDescription is null ? "" : errorDescription + "; ")}{sorted.Length} windows); " +
                   "score = StreamScore of that error under the training log-error distribution (Gaussian tail, log scale)";
        return new Result(new ThresholdSpec(raw, Math.Round(score, 4), rule), mean, std, sorted.Average(e => (double)e), sorted[^1]);
    }

    /// <summary>The raw error a model of these hyperparameters reports, in words (for the threshold's rule).</summary>
    public static string ErrorDescription(string kind, SeriesHyperparameters hp) =>
        kind == DetectorKinds.Autoencoder
            ? hp.ScoredSteps > 0 && hp.ScoredSteps < hp.Window
                ? $"reconstruction MAE over the newest {hp.ScoredSteps} of {hp.Window} readings"
                : $"reconstruction MAE over all {hp.Window} readings"
            : $"forecast MAE over the {hp.Horizon} reading(s) after the {hp.Window}-reading window";

    /// <summary>What a threshold was calibrated for: the raw error's reduction and the stream-scoring knobs the score
    /// and the log-error prior depend on. Kept in the manifest (<see cref="BasisKey"/>) so a later change of either is
    /// noticed and the threshold recalibrated (<see cref="SeriesRecalibration"/>).</summary>
    public sealed record Basis(int ScoredSteps, double ErrorFloor, double MinStd)
    {
        public static Basis Of(SeriesHyperparameters hp, StreamScoreOptions options) => new(hp.ScoredSteps, options.ErrorFloor, options.MinStd);
    }

    public const string BasisKey = "thresholdCalibration";

    /// <summary>The basis a manifest records, or null for bundles from before it was recorded (basis unknown).</summary>
    public static Basis? RecordedBasis(BundleManifest manifest)
    {
        if (!manifest.Hyperparameters.TryGetValue(BasisKey, out var element)) return null;
        try
        {
            return element.Deserialize<Basis>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Calibrates a trained model on its own windows as <c>vigil train</c> does: the threshold from the raw errors of
    /// (at most <see cref="CalibrationWindows"/> evenly spaced) training windows under <paramref name="options"/>, the
    /// validation figures from (at most <see cref="ValidationWindows"/>) held-out windows. Every figure that depends on
    /// the raw error's reduction comes from here, so training and recalibration cannot drift apart.
    /// </summary>
    public static WindowCalibration OnWindows(SeriesModel model, SeriesWindowSet data, StreamScoreOptions options)
    {
        var calibration = Calibrate(SeriesTrainer.Errors(model, data, Sampling.EvenlySpaced(data.Train, CalibrationWindows)), options,
            ErrorDescription(model.Kind, model.Hyperparameters));
        var validationErrors = data.ValidationCount > 0
            ? SeriesTrainer.Errors(model, data, Sampling.EvenlySpaced(data.Validation, ValidationWindows))
            : [];
        return new WindowCalibration(calibration, Basis.Of(model.Hyperparameters, options), validationErrors);
    }

    /// <summary>A calibration on a model's windows and what it writes into a manifest.</summary>
    public sealed record WindowCalibration(Result Calibration, Basis Basis, float[] ValidationErrors)
    {
        /// <summary>The manifest's evaluation figures that depend on the raw error (the rest are kept).</summary>
        public static readonly IReadOnlyList<string> ErrorFigures =
            ["trainMeanError", "trainMaxError", LogErrorMeanKey, LogErrorStdKey, "validationMeanError", "validationShareAboveThreshold"];

        public Dictionary<string, double> Figures()
        {
            var figures = new Dictionary<string, double>
            {
                ["trainMeanError"] = Math.Round(Calibration.MeanError, 6),
                ["trainMaxError"] = Math.Round(Calibration.MaxError, 6),
                [LogErrorMeanKey] = Math.Round(Calibration.LogErrorMean, 6),
                [LogErrorStdKey] = Math.Round(Calibration.LogErrorStd, 6),
            };
            if (ValidationErrors.Length > 0)
            {
                figures["validationMeanError"] = Math.Round(ValidationErrors.Average(e => (double)e), 6);
                // Share of held-out windows above the calibrated threshold: near 0.3 % means the rule generalises.
                figures["validationShareAboveThreshold"] =
                    Math.Round(ValidationErrors.Count(e => e > Calibration.Threshold.RawValue) / (double)ValidationErrors.Length, 6);
            }
            return figures;
        }

        public System.Text.Json.JsonElement BasisElement() => System.Text.Json.JsonSerializer.SerializeToElement(Basis);
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
