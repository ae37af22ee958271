using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;

namespace Vigil.Detectors.Scoring;

/// <summary>
/// Batch-first scoring of camera frames: every tile of every frame in a batch goes through the network in as few
/// forward passes as possible. Thread-safe for one caller at a time (a model grain's batch loop); tensors are
/// disposed before each call returns. Decode bytes with <see cref="FrameDecoder"/> under <see cref="Limits"/> first.
/// </summary>
public interface IFrameDetector : IDisposable
{
    BundleManifest Manifest { get; }

    /// <summary>Segmentation the bundle was trained with (rows × cols, overlap).</summary>
    TileGrid Grid { get; }

    /// <summary>Scaling: each tile is resized to InputSize × InputSize.</summary>
    int InputSize { get; }

    /// <summary>Score (on the [0, 1] scale) at and above which a frame is anomalous.</summary>
    double ThresholdScore { get; }

    FrameLimits Limits { get; }

    /// <summary>One result per frame, in order. Throws <see cref="FrameFormatException"/> (naming the frame's index)
    /// before any scoring when a frame cannot be tiled or is over the limits.</summary>
    FrameScore[] ScoreBatch(IReadOnlyList<GreyFrame> frames);

    /// <summary>Raw values of already scaled tiles (count × InputSize × InputSize, in [0, 1]); for benches and evaluation.</summary>
    void ScoreTiles(ReadOnlySpan<float> tiles, int count, Span<float> rawValues);

    /// <summary>The calibrated [0, 1] score of a raw tile value.</summary>
    double ScoreOf(double rawValue);
}

/// <summary>
/// A frame's result. <see cref="Score"/> = the maximum tile score (the most anomalous tile decides);
/// <see cref="HeatMap"/> holds every tile's score, row-major, <see cref="Rows"/> × <see cref="Cols"/>.
/// </summary>
public sealed record FrameScore(double Score, double RawValue, int Rows, int Cols, float[] HeatMap, int TopTile, bool IsAnomalous)
{
    public float TileScore(int row, int col) => HeatMap[row * Cols + col];
}
