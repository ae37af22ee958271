using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Detectors.Bundles;

/// <summary>
/// <c>manifest.json</c> of a model bundle: everything scoring needs to use a trained detector exactly as it was
/// trained, and everything an operator needs to know where it came from.
/// </summary>
public sealed record BundleManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary><c>lstm-dcnn</c>, <c>autoencoder</c> or <c>frame-cnn</c> (see <see cref="DetectorKinds"/>).</summary>
    public required string Kind { get; init; }

    /// <summary>Monotonic per kind; newer versions hot-swap older ones. UTC timestamp <c>yyyyMMddHHmmss</c> by default.</summary>
    public required string Version { get; init; }

    public required DateTimeOffset Created { get; init; }

    /// <summary>Readings of history one window holds (series) or network input size in pixels (frames).</summary>
    public required int Window { get; init; }

    /// <summary>Readings forecast after the window (lstm-dcnn); 0 for reconstruction detectors.</summary>
    public int Horizon { get; init; }

    public int Channels { get; init; } = 1;

    public required NormalisationSpec Normalisation { get; init; }

    public required ThresholdSpec Threshold { get; init; }

    /// <summary>SHA-256 over the training data as the trainer read it; identifies what the model has seen.</summary>
    public required string TrainingFingerprint { get; init; }

    /// <summary>Architecture and training settings the loader needs to rebuild the network (detector-specific).</summary>
    public Dictionary<string, JsonElement> Hyperparameters { get; init; } = [];

    /// <summary>Figures measured at training time (validation loss, AUROC, ...), name → value.</summary>
    public Dictionary<string, double> Evaluation { get; init; } = [];

    public string WeightsFile { get; init; } = "weights.bin";

    /// <summary>Lower-case hex SHA-256 of <see cref="WeightsFile"/>; verified before any weight is read.</summary>
    public required string WeightsSha256 { get; init; }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>How raw inputs are scaled before the network sees them.</summary>
/// <param name="Mode"><c>stream</c> (running mean/std per stream, kept by the caller), <c>window</c> (each window
/// standardised on its own), <c>fixed</c> (the <paramref name="Mean"/>/<paramref name="Std"/> below) or <c>unit</c> (pixels / 255).</param>
public sealed record NormalisationSpec(string Mode, float[]? Mean = null, float[]? Std = null);

/// <summary>The calibrated decision rule.</summary>
/// <param name="RawValue">Threshold on the detector's raw error (forecast error, reconstruction MAE, tile error).</param>
/// <param name="Score">The same threshold on the [0, 1] score scale (what alerts compare against).</param>
/// <param name="Rule">How it was calibrated, in words, e.g. "99.5th percentile of training reconstruction MAE".</param>
public sealed record ThresholdSpec(double RawValue, double Score, string Rule);

public static class DetectorKinds
{
    public const string LstmDcnn = "lstm-dcnn";
    public const string Autoencoder = "autoencoder";
    public const string Ensemble = "ensemble";
    public const string FrameCnn = "frame-cnn";
}
