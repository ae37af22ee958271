using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Series;

/// <summary>
/// Keeps a bundle's threshold true to the raw error it describes when that error changes after training (e.g.
/// <c>vigil evaluate nab --select --record</c> choosing the autoencoder's error over another number of newest readings,
/// or another error floor): the threshold and every figure that depends on the raw error are recomputed with the
/// bundle's own calibration rule (<see cref="SeriesCalibration.OnWindows"/>, as <c>vigil train</c> does) on the bundle's
/// own training windows. Only the very data the bundle was trained on is accepted: its fingerprint, computed as
/// training computes it (<see cref="SeriesWindowSet.Fingerprint"/>), must equal the manifest's.
/// </summary>
public static class SeriesRecalibration
{
    /// <summary>Whether recording this reduction and stream scoring makes the manifest's threshold stale
    /// (also when the manifest does not say what its threshold was calibrated for).</summary>
    public static bool IsNeeded(BundleManifest manifest, int scoredSteps, StreamScoreOptions scoring) =>
        SeriesCalibration.RecordedBasis(manifest) != new SeriesCalibration.Basis(scoredSteps, scoring.ErrorFloor, scoring.MinStd);

    /// <summary>
    /// The calibration the bundle in <paramref name="bundleDirectory"/> gets for a raw error over
    /// <paramref name="scoredSteps"/> newest readings (autoencoder; 0 = all, and what lstm-dcnn always has) scored with
    /// <paramref name="scoring"/>, on <paramref name="training"/>. Writes nothing. Training data whose fingerprint is not
    /// the manifest's <c>trainingFingerprint</c> is a <see cref="BundleException"/> naming the bundle.
    /// </summary>
    public static SeriesCalibration.WindowCalibration Compute(string bundleDirectory, IReadOnlyList<SeriesData> training, int scoredSteps,
        StreamScoreOptions scoring, string device = "cpu")
    {
        using var detector = SeriesBundle.Load(bundleDirectory, device);
        var manifest = detector.Manifest;
        var manifestPath = Path.Combine(bundleDirectory, ModelBundle.ManifestFile);
        var data = new SeriesWindowSet(training, detector.Model.InputLength);
        if (!string.Equals(data.Fingerprint, manifest.TrainingFingerprint, StringComparison.OrdinalIgnoreCase))
            throw new BundleException(
                $"'{manifestPath}': its threshold must be recalibrated (raw error over {(scoredSteps > 0 ? $"the newest {scoredSteps}" : "all")} readings, " +
                $"error floor {scoring.ErrorFloor}) on the data it was trained on, but the {training.Count} series given have fingerprint " +
                $"{data.Fingerprint[..12]}…, not the manifest's trainingFingerprint {Short(manifest.TrainingFingerprint)}…; " +
                "refusing to calibrate on other data.");
        using var model = detector.Model.Clone(scoredSteps);
        return SeriesCalibration.OnWindows(model, data, scoring);
    }

    /// <summary>The manifest with the new threshold, its basis and the raw-error figures (stale ones removed).</summary>
    public static BundleManifest Apply(BundleManifest manifest, SeriesCalibration.WindowCalibration calibration)
    {
        // In place, so the manifest keeps its order; a raw-error figure the new calibration has no value for (no
        // validation windows) is dropped rather than left describing the old error.
        var figures = calibration.Figures();
        var evaluation = new Dictionary<string, double>();
        foreach (var (name, value) in manifest.Evaluation)
        {
            if (!SeriesCalibration.WindowCalibration.ErrorFigures.Contains(name)) evaluation[name] = value;
            else if (figures.TryGetValue(name, out var recalibrated)) evaluation[name] = recalibrated;
        }
        foreach (var (name, value) in figures) evaluation.TryAdd(name, value);
        return manifest with
        {
            Threshold = calibration.Calibration.Threshold,
            Hyperparameters = new(manifest.Hyperparameters)
            {
                ["scoredSteps"] = System.Text.Json.JsonSerializer.SerializeToElement(calibration.Basis.ScoredSteps),
                [SeriesCalibration.BasisKey] = calibration.BasisElement(),
            },
            Evaluation = evaluation,
        };
    }

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;
}
