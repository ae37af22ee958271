using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;

namespace Vigil.Grains.Tests.Support;

/// <summary>
/// A deterministic stand-in for a trained network, for tests whose subject is windows, batching, placement or swaps:
/// raw error = |last normalised value| × <see cref="Gain"/> (the z-score of the newest reading). It records every
/// batch size and can hold its forward pass on a gate, so tests can build queues on purpose.
/// </summary>
internal sealed class LastStepDetector(BundleManifest manifest, float gain = 1f) : ISeriesDetector
{
    private readonly List<int> batches = [];

    public BundleManifest Manifest { get; } = manifest;
    public int InputLength => Manifest.Window + Manifest.Horizon;
    public int Channels => Manifest.Channels;
    public float Gain { get; } = gain;

    /// <summary>Reset (closed) to hold forward passes until the test opens it.</summary>
    public ManualResetEventSlim Gate { get; } = new(true);

    /// <summary>Signalled whenever a forward pass starts.</summary>
    public SemaphoreSlim Started { get; } = new(0);

    public bool Disposed { get; private set; }

    public int[] BatchSizes
    {
        get { lock (batches) return [.. batches]; }
    }

    public static float Expected(float[] inputs, int channels, float gain) =>
        Enumerable.Range(0, channels).Max(c => Math.Abs(inputs[inputs.Length - channels + c])) * gain;

    public void ScoreBatch(ReadOnlySpan<float> inputs, int batch, Span<float> rawErrors)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        Started.Release();
        Gate.Wait(TimeSpan.FromSeconds(30));
        lock (batches) batches.Add(batch);
        var item = InputLength * Channels;
        for (var i = 0; i < batch; i++)
            rawErrors[i] = Expected(inputs.Slice(i * item, item).ToArray(), Channels, Gain);
    }

    public void Dispose() => Disposed = true;
}
