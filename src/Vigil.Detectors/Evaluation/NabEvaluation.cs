using System.Diagnostics;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Evaluation.Nab;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Evaluation;

/// <summary>One NAB file as the detector saw it: per row the raw error(s) and the anomaly score it reported.</summary>
public sealed record NabSeriesRun(NabSeries Series, double[] Scores, IReadOnlyDictionary<string, float[]> RawErrors, TimeSpan Elapsed);

/// <summary>
/// Runs a time-series detector over NAB under NAB's protocol, one file at a time, online:
/// the generic bundle (trained without any scored row) is fine-tuned on the file's probationary rows only; every row
/// is then scored from the readings up to and including it (<see cref="SeriesStreamScorer"/>), and the stream's
/// <see cref="StreamScore"/> turns raw errors into scores as a device grain would. Labels are never read here
/// (a <see cref="NabSeries"/>' windows are not touched), so the same runner serves the synthetic corpus of
/// <see cref="Selection.NabSettingsSelection"/>.
/// </summary>
public sealed class NabEvaluation : IDisposable
{
    private readonly NabEvaluationOptions options;
    private readonly Dictionary<string, SeriesDetector> generic = [];

    public NabEvaluation(NabEvaluationOptions options)
    {
        options.Validate();
        this.options = options;
        foreach (var kind in Kinds)
        {
            var loaded = (SeriesDetector)DetectorLoader.LoadSeries(Path.Combine(options.ModelsPath, kind), options.Device);
            if (options.ScoredStepsByKind.TryGetValue(kind, out var steps) && steps != loaded.Model.Hyperparameters.ScoredSteps)
            {
                // Same weights, another reduction of the reconstruction error.
                var original = loaded;
                loaded = new SeriesDetector(original.Model.Clone(steps), original.Manifest);
                original.Dispose();
            }
            generic[kind] = loaded;
        }
    }

    /// <summary>The detector kinds this run needs (both for the ensemble).</summary>
    public IReadOnlyList<string> Kinds => options.Detector == DetectorKinds.Ensemble
        ? [DetectorKinds.LstmDcnn, DetectorKinds.Autoencoder]
        : [options.Detector];

    /// <summary>"kind file (why)" for every file whose probationary fine-tuning did not happen (too short, or training failed twice).</summary>
    public List<string> NotAdapted { get; } = [];

    public IReadOnlyDictionary<string, BundleManifest> Manifests => generic.ToDictionary(g => g.Key, g => g.Value.Manifest);

    public NabSeriesRun Run(NabSeries series)
    {
        var clock = Stopwatch.StartNew();
        var raw = new Dictionary<string, float[]>();
        var perKind = new List<double[]>();
        foreach (var kind in Kinds)
        {
            var errors = RawErrors(kind, series);
            raw[kind] = errors;
            perKind.Add(SeriesStreamScorer.Scores(errors, series.Values, options: options.ScoringFor(kind)));
        }
        return new NabSeriesRun(series, perKind.Count == 1 ? perKind[0] : EnsembleScore.Combine(perKind, options.EnsembleRule), raw, clock.Elapsed);
    }

    /// <summary>One kind's raw error per row of the file (NaN before the first full item), from the generic model
    /// fine-tuned on the file's probationary rows (when <see cref="NabEvaluationOptions.FineTune"/>).</summary>
    public float[] RawErrors(string kind, NabSeries series)
    {
        var detector = generic[kind];
        var data = new SeriesData(series.RelativePath, series.Timestamps, series.Values.Select(v => (float)v).ToArray(), 1, ["value"]);
        var adapted = options.FineTune ? SeriesAdaptation.FineTune(detector, data.Head(series.ProbationaryLength)) : null;
        if (adapted is { Adapted: false }) NotAdapted.Add($"{kind} {series.RelativePath} ({string.Join("; ", adapted.Failures)})");
        try
        {
            return SeriesStreamScorer.RawErrors(adapted?.Detector ?? detector, data);
        }
        finally
        {
            adapted?.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var detector in generic.Values) detector.Dispose();
    }
}
