using System.Diagnostics;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Throughput of a frame detector at several batch sizes, for <c>vigil bench detectors</c>: frames/s, tiles/s and
/// the achieved arithmetic rate, to compare with the machine's GEMM rate measured in the same run.
/// The frames are real decoded-size mosaics (grey noise at the bundle's grid), since throughput does not depend
/// on content.
/// </summary>
public static class FrameCnnBench
{
    public sealed record Row(int BatchSize, int Frames, double Seconds, double FramesPerSecond, double TilesPerSecond, double Gflops);

    /// <summary>Network multiply-adds × 2 for one tile, over every scoring transformation.</summary>
    public static double FlopsPerTile(FrameCnnSettings settings)
    {
        var w = (double)settings.Width;
        var s = settings.InputSize;
        var (s2, s4) = (s / 2, s / 4);
        var macs = (double)s * s * 1 * w * 9                 // stage 1 conv
                   + (double)s2 * s2 * w * 2 * w * 9       // stage 2 conv
                   + (double)s4 * s4 * 2 * w * 4 * w * 9   // stage 3 conv
                   + 64 * w * 4 * w + 4 * w * settings.Outputs; // dense head
        var passes = settings.Objective == FrameCnnSettings.GeometricObjective ? settings.ScoringTransformIndices().Length : 1;
        return 2 * macs * passes;
    }

    /// <param name="frameSide">Side of the square test frames in pixels (112 = 4×4 Fashion-MNIST mosaics).</param>
    /// <param name="minSeconds">Each batch size runs at least this long (after one warm-up batch).</param>
    public static IReadOnlyList<Row> Run(FrameCnnDetector detector, IReadOnlyList<int> batchSizes, int frameSide = 112, double minSeconds = 2)
    {
        var random = new Random(7);
        var tilesPerFrame = detector.Grid.Count;
        var flopsPerTile = FlopsPerTile(detector.Settings);
        var rows = new List<Row>();
        foreach (var batch in batchSizes)
        {
            if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batchSizes), $"Batch sizes must be ≥ 1, not {batch}.");
            var frames = Enumerable.Range(0, batch).Select(_ =>
            {
                var pixels = new byte[frameSide * frameSide];
                random.NextBytes(pixels);
                return new GreyFrame(frameSide, frameSide, pixels);
            }).ToArray();
            detector.ScoreBatch(frames); // warm-up: allocator, kernels
            var clock = Stopwatch.StartNew();
            var scored = 0;
            do
            {
                detector.ScoreBatch(frames);
                scored += batch;
            } while (clock.Elapsed.TotalSeconds < minSeconds);
            var seconds = clock.Elapsed.TotalSeconds;
            var tilesPerSecond = scored * tilesPerFrame / seconds;
            rows.Add(new Row(batch, scored, seconds, scored / seconds, tilesPerSecond, tilesPerSecond * flopsPerTile / 1e9));
        }
        return rows;
    }
}
