using Vigil.Contracts;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;
using Vigil.Grains.Options;
using Vigil.Telemetry;

namespace Vigil.Grains.Models;

/// <summary>One loaded frame detector and the batcher in front of it (see <see cref="SeriesModelHost"/>).</summary>
internal sealed class FrameModelHost : IModelHost
{
    private readonly IFrameDetector detector;

    public FrameModelHost(IFrameDetector detector, BundleLocation bundle, BatchingOptions batching, string grainKey, string computeDevice)
    {
        this.detector = detector;
        var m = detector.Manifest;
        Info = new ModelInfo(m.Kind, bundle.Version, m.Window, 0, detector.InputSize, 1, m.Normalisation.Mode,
            (float)m.Threshold.RawValue, (float)detector.ThresholdScore, m.Threshold.Rule);
        Batcher = new DynamicBatcher<GreyFrame, FrameOutcome>(grainKey, Forward, batching,
            new(VigilDiagnostics.Tags.Detector, m.Kind), new(VigilDiagnostics.Tags.Version, bundle.Version),
            new(VigilDiagnostics.Tags.ComputeDevice, computeDevice));
    }

    public ModelInfo Info { get; }

    public FrameLimits Limits => detector.Limits;

    public DynamicBatcher<GreyFrame, FrameOutcome> Batcher { get; }

    /// <summary>
    /// One pass for the batch; if one frame cannot be tiled, the others must not fail with it, so the batch is then
    /// scored frame by frame and only the bad one carries the error.
    /// </summary>
    private void Forward(ReadOnlySpan<GreyFrame> frames, Span<FrameOutcome> results)
    {
        try
        {
            var scores = detector.ScoreBatch(frames.ToArray());
            for (var i = 0; i < frames.Length; i++)
                results[i] = new FrameOutcome(scores[i], null);
        }
        catch (FrameFormatException)
        {
            for (var i = 0; i < frames.Length; i++)
            {
                try
                {
                    results[i] = new FrameOutcome(detector.ScoreBatch([frames[i]])[0], null);
                }
                catch (FrameFormatException e)
                {
                    results[i] = new FrameOutcome(null, e.Message);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Batcher.DrainAsync().ConfigureAwait(false);
        detector.Dispose();
    }
}

/// <summary>A frame's score, or why it could not be scored.</summary>
internal readonly record struct FrameOutcome(FrameScore? Score, string? Error);
