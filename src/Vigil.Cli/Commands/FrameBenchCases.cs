using Vigil.Detectors.Frames;

namespace Vigil.Cli.Commands;

/// <summary>
/// frame-cnn rows of <c>vigil bench detectors</c> (registered in <see cref="DetectorBenchCases.Providers"/>):
/// <c>frame-cnn</c> counts whole 112×112 frames (decoded grey → segmentation → scaling → one batched forward
/// pass), <c>frame-cnn/tile</c> counts already scaled tiles through the network alone; FLOPs are the network's
/// multiply-adds × 2 over every scoring transformation (per frame: × tiles per frame).
/// </summary>
public static class FrameBenchCases
{
    public const int FrameSide = 112;

    public static IEnumerable<DetectorBenchCase> Provider(string modelsPath, string device)
    {
        var detector = FrameCnnBundle.Load(Path.Combine(modelsPath, Vigil.Detectors.Bundles.DetectorKinds.FrameCnn), device);
        var perTile = FrameCnnBench.FlopsPerTile(detector.Settings);
        var tileCase = new DetectorBenchCase("frame-cnn/tile", perTile, batch =>
        {
            var random = new Random(1);
            var tiles = new float[batch * detector.InputSize * detector.InputSize];
            for (var i = 0; i < tiles.Length; i++) tiles[i] = (float)random.NextDouble();
            var raw = new float[batch];
            return () => detector.ScoreTiles(tiles, batch, raw);
        });
        // The frame case owns the detector: it is disposed after both rows ran.
        yield return new DetectorBenchCase("frame-cnn", perTile * detector.Grid.Count, batch =>
        {
            var random = new Random(2);
            var frames = Enumerable.Range(0, batch).Select(_ =>
            {
                var pixels = new byte[FrameSide * FrameSide];
                random.NextBytes(pixels);
                return new GreyFrame(FrameSide, FrameSide, pixels);
            }).ToArray();
            return () => detector.ScoreBatch(frames);
        });
        yield return new DetectorBenchCase(tileCase.Name, tileCase.ForwardFlopsPerItem, tileCase.PrepareBatch, detector);
    }
}
