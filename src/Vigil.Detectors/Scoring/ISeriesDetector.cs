using Vigil.Detectors.Bundles;

namespace Vigil.Detectors.Scoring;

/// <summary>
/// Batch-first scoring of time-series windows: many windows from many devices in one forward pass.
/// Implementations are thread-safe for one caller at a time (a model grain's batch loop) and dispose their
/// tensors deterministically; the spans are the caller's pooled buffers, so the hot path allocates nothing per window.
/// </summary>
public interface ISeriesDetector : IDisposable
{
    BundleManifest Manifest { get; }

    /// <summary>Readings per channel one item needs: window + horizon for a forecaster, window for an autoencoder.</summary>
    int InputLength { get; }

    int Channels { get; }

    /// <summary>
    /// <paramref name="inputs"/>: <paramref name="batch"/> items × <see cref="InputLength"/> steps × <see cref="Channels"/>,
    /// row-major, already normalised as the manifest says (stream mode: by the caller's running statistics).
    /// Writes one raw error (≥ 0; forecast error or reconstruction MAE) per item into <paramref name="rawErrors"/>.
    /// </summary>
    void ScoreBatch(ReadOnlySpan<float> inputs, int batch, Span<float> rawErrors);
}
