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

        var calibrated = SeriesCalibration.OnWindows(model, data, Scoring.StreamScoreOptions.For(kind));
        var calibration = calibrated.Calibration;

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
                // What the threshold was calibrated for; evaluate nab --record recalibrates when it records another.
                [SeriesCalibration.BasisKey] = calibrated.BasisElement(),
            },
            Evaluation = new()
            {
                ["validationLoss"] = Math.Round(report.BestValidationLoss, 6),
                ["trainLoss"] = Math.Round(report.FinalTrainLoss, 6),
                ["bestEpoch"] = report.BestEpoch,
                ["epochsRun"] = report.EpochsRun,
                ["trainWindows"] = data.TrainCount,
                ["validationWindows"] = data.ValidationCount,
                ["trainingSeconds"] = Math.Round(report.Elapsed.TotalSeconds, 1),
            },
            WeightsSha256 = "",
        };
        foreach (var (name, value) in calibrated.Figures()) manifest.Evaluation[name] = value;
        var saved = SeriesBundle.Save(outDirectory, model, manifest);
        return new Outcome(saved, report, calibration, data.TrainCount, data.ValidationCount);
    }
}
