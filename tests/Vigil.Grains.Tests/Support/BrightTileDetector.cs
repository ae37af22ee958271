using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;

namespace Vigil.Grains.Tests.Support;

/// <summary>
/// A deterministic stand-in for the frame CNN, for tests of the camera grain's logic: a 2×2 grid whose tile score is
/// the tile's mean brightness / 255, frame score = the brightest tile.
/// </summary>
internal sealed class BrightTileDetector(BundleManifest manifest) : IFrameDetector
{
    public BundleManifest Manifest { get; } = manifest;
    public TileGrid Grid { get; } = new(2, 2);
    public int InputSize => 8;
    public double ThresholdScore => Manifest.Threshold.Score;
    public FrameLimits Limits { get; } = new();

    public FrameScore[] ScoreBatch(IReadOnlyList<GreyFrame> frames) => [.. frames.Select(Score)];

    public void ScoreTiles(ReadOnlySpan<float> tiles, int count, Span<float> rawValues)
    {
        var size = InputSize * InputSize;
        for (var i = 0; i < count; i++)
        {
            float sum = 0;
            foreach (var v in tiles.Slice(i * size, size)) sum += v;
            rawValues[i] = sum / size;
        }
    }

    public double ScoreOf(double rawValue) => rawValue;

    public void Dispose() { }

    private FrameScore Score(GreyFrame frame)
    {
        var heat = new float[4];
        for (var row = 0; row < 2; row++)
            for (var col = 0; col < 2; col++)
            {
                double sum = 0;
                int n = 0;
                for (var y = row * frame.Height / 2; y < (row + 1) * frame.Height / 2; y++)
                    for (var x = col * frame.Width / 2; x < (col + 1) * frame.Width / 2; x++, n++)
                        sum += frame[x, y];
                heat[row * 2 + col] = (float)(sum / Math.Max(1, n) / 255);
            }
        var top = Array.IndexOf(heat, heat.Max());
        return new FrameScore(heat[top], heat[top], 2, 2, heat, top, heat[top] >= ThresholdScore);
    }
}
