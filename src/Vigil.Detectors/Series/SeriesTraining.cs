using Vigil.Detectors.Bundles;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Series;

/// <summary>
/// The whole of <c>vigil train lstm-dcnn|autoencoder</c> without the console: cut windows, train with early
/// stopping, calibrate the threshold on the training errors, save a verified bundle.
/// </summary>
public static class SeriesTraining
{
    public sealed record Outcome(BundleManifest Manifest, TrainingReport Report, SeriesCalibration.Result Calibration, int TrainWindows, int ValidationWindows);

    public static Outcome TrainBundle(string kind, IReadOnlyList<SeriesData> series, SeriesHyperparameters hp,
        SeriesTrainingOptions options, string outDirectory, string device = "auto",
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        hp = hp with { Channels = series.Count > 0 ? series[0].Channels : hp.Channels, Seed = options.Seed };
        hp.Validate(kind);
        var data = new SeriesWindowSet(series, hp.Window + hp.Horizon);
        using var model = SeriesModel.Create(kind, hp, TorchRuntime.ResolveDevice(device));
        var report = SeriesTrainer.Train(model, data, options, progress, cancellation);

        var calibrationItems = SeriesTrainer.EvenlySpaced(data.Train, 20_000);
        var calibration = SeriesCalibration.Calibrate(SeriesTrainer.Errors(model, data, calibrationItems), Scoring.StreamScoreOptions.For(kind));
        var validationErrors = data.ValidationCount > 0
            ? SeriesTrainer.Errors(model, data, SeriesTrainer.EvenlySpaced(data.Validation, 5_000))
            : [];

        var now = DateTimeOffset.UtcNow;
        var manifest = new BundleManifest
        {
            Kind = kind,
            Version = ModelBundle.NewVersion(now),
            Created = now,
            Window = hp.Window,
            Horizon = hp.Horizon,
            Channels = hp.Channels,
            Normalisation = new NormalisationSpec("stream"),
            Threshold = calibration.Threshold,
            TrainingFingerprint = data.Fingerprint,
            Hyperparameters = new()
            {
                ["epochs"] = System.Text.Json.JsonSerializer.SerializeToElement(options.Epochs),
                ["batchSize"] = System.Text.Json.JsonSerializer.SerializeToElement(options.BatchSize),
                ["learningRate"] = System.Text.Json.JsonSerializer.SerializeToElement(options.LearningRate),
                ["patience"] = System.Text.Json.JsonSerializer.SerializeToElement(options.Patience),
                ["trainingSeries"] = System.Text.Json.JsonSerializer.SerializeToElement(series.Count),
                // How a stream turns this detector's raw errors into scores (StreamScoreOptions.For(kind) at training time).
                ["streamScore"] = System.Text.Json.JsonSerializer.SerializeToElement(Scoring.StreamScoreOptions.For(kind)),
            },
            Evaluation = new()
            {
                ["validationLoss"] = Math.Round(report.BestValidationLoss, 6),
                ["trainLoss"] = Math.Round(report.FinalTrainLoss, 6),
                ["bestEpoch"] = report.BestEpoch,
                ["epochsRun"] = report.EpochsRun,
                ["trainWindows"] = data.TrainCount,
                ["validationWindows"] = data.ValidationCount,
                ["trainMeanError"] = Math.Round(calibration.MeanError, 6),
                ["trainMaxError"] = Math.Round(calibration.MaxError, 6),
                [SeriesCalibration.LogErrorMeanKey] = Math.Round(calibration.LogErrorMean, 6),
                [SeriesCalibration.LogErrorStdKey] = Math.Round(calibration.LogErrorStd, 6),
                ["trainingSeconds"] = Math.Round(report.Elapsed.TotalSeconds, 1),
            },
            WeightsSha256 = "",
        };
        if (validationErrors.Length > 0)
        {
            manifest.Evaluation["validationMeanError"] = Math.Round(validationErrors.Average(e => (double)e), 6);
            // Share of held-out windows above the calibrated threshold: near 0.3 % means the rule generalises.
            manifest.Evaluation["validationShareAboveThreshold"] =
                Math.Round(validationErrors.Count(e => e > calibration.Threshold.RawValue) / (double)validationErrors.Length, 6);
        }
        var saved = SeriesBundle.Save(outDirectory, model, manifest);
        return new Outcome(saved, report, calibration, data.TrainCount, data.ValidationCount);
    }
}
