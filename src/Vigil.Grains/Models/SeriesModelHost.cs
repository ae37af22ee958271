using Vigil.Contracts;
using Vigil.Detectors.Scoring;
using Vigil.Grains.Options;
using Vigil.Telemetry;

namespace Vigil.Grains.Models;

/// <summary>
/// One loaded series detector and the batcher in front of it. Owned by a model grain; on hot swap the grain starts
/// a new host and drains this one (<see cref="DisposeAsync"/>): queued requests finish here, then the detector goes.
/// </summary>
internal sealed class SeriesModelHost : IModelHost
{
    private readonly ISeriesDetector detector;
    private readonly float[] inputs;
    private readonly int itemLength;

    public SeriesModelHost(ISeriesDetector detector, BundleLocation bundle, BatchingOptions batching, string grainKey, string computeDevice)
    {
        this.detector = detector;
        var m = detector.Manifest;
        Info = new ModelInfo(m.Kind, bundle.Version, m.Window, m.Horizon, detector.InputLength, detector.Channels,
            m.Normalisation.Mode, (float)m.Threshold.RawValue, (float)m.Threshold.Score, m.Threshold.Rule,
            m.Normalisation.Mean, m.Normalisation.Std);
        itemLength = detector.InputLength * detector.Channels;
        inputs = new float[batching.MaxBatchSize * itemLength];
        Batcher = new DynamicBatcher<float[], float>(grainKey, Forward, batching,
            new(VigilDiagnostics.Tags.Detector, m.Kind), new(VigilDiagnostics.Tags.Version, bundle.Version),
            new(VigilDiagnostics.Tags.ComputeDevice, computeDevice));
    }

    public ModelInfo Info { get; }

    public int ItemLength => itemLength;

    public DynamicBatcher<float[], float> Batcher { get; }

    private void Forward(ReadOnlySpan<float[]> items, Span<float> rawErrors)
    {
        for (var i = 0; i < items.Length; i++)
            items[i].AsSpan().CopyTo(inputs.AsSpan(i * itemLength, itemLength));
        detector.ScoreBatch(inputs.AsSpan(0, items.Length * itemLength), items.Length, rawErrors);
    }

    public async ValueTask DisposeAsync()
    {
        await Batcher.DrainAsync().ConfigureAwait(false);
        detector.Dispose();
    }
}
