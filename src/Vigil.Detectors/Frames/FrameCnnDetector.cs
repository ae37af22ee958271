using Vigil.Detectors.Series;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Frames;

/// <summary>The frame-cnn detector: segmentation, scaling, one batched network pass, calibration, heat maps.</summary>
public sealed class FrameCnnDetector : IFrameDetector
{
    private readonly TileScorer _scorer;
    private readonly ScoreCalibration _calibration;
    private readonly Lock _gate = new();

    public FrameCnnDetector(BundleManifest manifest, TileScorer scorer, ScoreCalibration calibration, FrameLimits? limits = null)
    {
        Manifest = manifest;
        _scorer = scorer;
        _calibration = calibration;
        Limits = (limits ?? FrameLimits.Default).Validate();
        Grid = scorer.Settings.Grid;
        ThresholdScore = calibration.Score(calibration.Threshold);
    }

    public BundleManifest Manifest { get; }
    public TileGrid Grid { get; }
    public int InputSize => _scorer.Settings.InputSize;
    public double ThresholdScore { get; }
    public FrameLimits Limits { get; }
    public FrameCnnSettings Settings => _scorer.Settings;

    public FrameScore[] ScoreBatch(IReadOnlyList<GreyFrame> frames)
    {
        TorchThreads.ApplyToCurrentThread();
        // Check every frame first: a bad frame fails the batch before any work is done.
        for (var f = 0; f < frames.Count; f++)
        {
            var source = $"frame {f}";
            Limits.CheckSize(frames[f].Width, frames[f].Height, source);
            FrameTiler.CheckFits(frames[f], Grid, source);
        }
        var perFrame = Grid.Count;
        var perTile = InputSize * InputSize;
        var tiles = new float[frames.Count * perFrame * perTile];
        for (var f = 0; f < frames.Count; f++)
            FrameTiler.Extract(frames[f], Grid, InputSize, tiles.AsSpan(f * perFrame * perTile, perFrame * perTile));

        var raw = new float[frames.Count * perFrame];
        ScoreTiles(tiles, raw.Length, raw);

        var results = new FrameScore[frames.Count];
        for (var f = 0; f < frames.Count; f++)
        {
            var heat = new float[perFrame];
            var top = 0;
            for (var i = 0; i < perFrame; i++)
            {
                heat[i] = (float)_calibration.Score(raw[f * perFrame + i]);
                if (raw[f * perFrame + i] > raw[f * perFrame + top]) top = i;
            }
            var frameRaw = raw[f * perFrame + top];
            var score = _calibration.Score(frameRaw);
            results[f] = new FrameScore(score, frameRaw, Grid.Rows, Grid.Cols, heat, top, score >= ThresholdScore);
        }
        return results;
    }

    public void ScoreTiles(ReadOnlySpan<float> tiles, int count, Span<float> rawValues)
    {
        lock (_gate) _scorer.RawScores(tiles, count, rawValues);
    }

    public double ScoreOf(double rawValue) => _calibration.Score(rawValue);

    public void Dispose() => _scorer.Dispose();
}
