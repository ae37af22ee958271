using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

/// <summary>
/// A bundle whose raw error is changed after training (evaluate nab --select --record) gets the threshold its own
/// calibration rule gives that error on its own training windows, and never one computed on other data.
/// </summary>
[Collection(TrainedBundlesCollection.Name)]
public sealed class RecordedCalibrationTests(TrainedBundles bundles)
{
    private const string Kind = DetectorKinds.Autoencoder;

    /// <summary>What <see cref="TrainedBundles"/> trained on (same file name and values, so the same fingerprint).</summary>
    private static SeriesData[] Training() => [SyntheticSeries.ToSeries(SyntheticSeries.Normal(2_000, seed: 1), "train.csv")];

    [Fact]
    public void Training_records_what_its_threshold_was_calibrated_for_and_says_which_error_it_is_over()
    {
        var manifest = bundles.Manifests[Kind];
        var scoring = StreamScoreOptions.For(Kind);
        Assert.Equal(new SeriesCalibration.Basis(0, scoring.ErrorFloor, scoring.MinStd), SeriesCalibration.RecordedBasis(manifest));
        Assert.False(SeriesRecalibration.IsNeeded(manifest, 0, scoring));
        Assert.True(SeriesRecalibration.IsNeeded(manifest, 6, scoring));
        Assert.True(SeriesRecalibration.IsNeeded(manifest, 0, scoring with { ErrorFloor = scoring.ErrorFloor * 2 }));
        Assert.Contains("reconstruction MAE over all 24 readings", manifest.Threshold.Rule);
    }

    [Fact]
    public void Recording_another_scored_steps_gives_the_threshold_calibration_computes_for_it_directly_and_keeps_the_weights()
    {
        using var temp = new TempFolder();
        var dir = bundles.CopyOf(Kind, temp);
        var original = bundles.Manifests[Kind];
        var scoring = StreamScoreOptions.For(Kind);
        const int steps = 6;

        var calibration = SeriesRecalibration.Compute(dir, Training(), steps, scoring);
        var recorded = SeriesBundle.UpdateManifest(dir, m => SeriesRecalibration.Apply(m, calibration));

        // The same rule, computed by hand: errors of the newest 6 readings on the training windows, percentile, score.
        using var loaded = SeriesBundle.Load(dir, "cpu");
        Assert.Equal(steps, loaded.Model.Hyperparameters.ScoredSteps);
        var data = new SeriesWindowSet(Training(), loaded.InputLength);
        var trainErrors = SeriesTrainer.Errors(loaded.Model, data, Sampling.EvenlySpaced(data.Train, SeriesCalibration.CalibrationWindows));
        var expected = SeriesCalibration.Calibrate(trainErrors, scoring);
        Assert.Equal(expected.Threshold.RawValue, recorded.Threshold.RawValue, 12);
        Assert.Equal(expected.Threshold.Score, recorded.Threshold.Score, 12);
        Assert.NotEqual(original.Threshold.RawValue, recorded.Threshold.RawValue);
        Assert.Contains("reconstruction MAE over the newest 6 of 24 readings", recorded.Threshold.Rule);
        Assert.Contains("99.7th percentile", recorded.Threshold.Rule);

        // The figures that depend on the raw error follow it; the weights and the training losses do not change.
        Assert.Equal(Math.Round(expected.LogErrorMean, 6), recorded.Evaluation[SeriesCalibration.LogErrorMeanKey]);
        Assert.Equal(Math.Round(expected.MeanError, 6), recorded.Evaluation["trainMeanError"]);
        var validation = SeriesTrainer.Errors(loaded.Model, data, Sampling.EvenlySpaced(data.Validation, SeriesCalibration.ValidationWindows));
        Assert.Equal(Math.Round(validation.Count(e => e > expected.Threshold.RawValue) / (double)validation.Length, 6),
            recorded.Evaluation["validationShareAboveThreshold"]);
        Assert.Equal(original.Evaluation["validationLoss"], recorded.Evaluation["validationLoss"]);
        Assert.Equal(original.Evaluation.Keys, recorded.Evaluation.Keys); // same figures, in the same order
        Assert.Equal(original.WeightsSha256, recorded.WeightsSha256);
        Assert.Equal(original.TrainingFingerprint, recorded.TrainingFingerprint);
        Assert.False(SeriesRecalibration.IsNeeded(recorded, steps, scoring));
    }

    [Fact]
    public void Training_data_with_another_fingerprint_is_refused_naming_the_bundle_and_nothing_is_written()
    {
        using var temp = new TempFolder();
        var dir = bundles.CopyOf(Kind, temp);
        var manifestPath = Path.Combine(dir, ModelBundle.ManifestFile);
        var before = File.ReadAllBytes(manifestPath);
        var other = Training();
        other[0].Values[100] += 0.5f; // one reading differs

        var error = Assert.Throws<BundleException>(() =>
            SeriesBundle.UpdateManifest(dir, m => SeriesRecalibration.Apply(m, SeriesRecalibration.Compute(dir, other, 6, StreamScoreOptions.For(Kind)))));

        Assert.Contains(manifestPath, error.Message);
        Assert.Contains("trainingFingerprint", error.Message);
        Assert.Contains(bundles.Manifests[Kind].TrainingFingerprint[..12], error.Message);
        Assert.Equal(before, File.ReadAllBytes(manifestPath));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }
}
