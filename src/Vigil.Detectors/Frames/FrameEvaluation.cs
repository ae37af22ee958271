using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Frame-level evaluation on mosaics: equal numbers of normal and anomalous frames, frame AUROC of the frame's
/// raw value (the max tile), and localisation = share of anomalous frames whose top tile centre lies in an
/// anomalous cell. Reports the same per anomaly kind, and per class of the foreign cells with the tile-level AUROC
/// beside it (foreign tiles against every tile of the normal frames): a frame's one foreign tile has to outscore the
/// oddest of its normal tiles, so a class can be well apart from normal tile by tile and still near chance by frame.
/// </summary>
public sealed class FrameEvaluation(IFrameDetector detector, MosaicFrames mosaics)
{
    public sealed record KindResult(MosaicAnomaly Kind, int Frames, double Auroc, double Localisation);

    /// <summary>Frames with a foreign cell of <paramref name="Class"/> (a frame with several foreign classes counts for each).</summary>
    public sealed record ForeignClassResult(int Class, int Frames, double Auroc, double Localisation, double TileAuroc);

    public sealed record Result(double Auroc, double Localisation, int NormalFrames, int AnomalousFrames, IReadOnlyList<KindResult> ByKind,
        IReadOnlyList<ForeignClassResult> ByForeignClass, TimeSpan ScoringTime, IReadOnlyList<(Mosaic Mosaic, FrameScore Score)> Examples);

    public Result Run(int framesPerClass, IReadOnlyList<MosaicAnomaly> kinds, int anomalousCells, int seed, int batchSize = 32, int examples = 6)
    {
        var random = new Random(seed);
        var all = new List<Mosaic>(2 * framesPerClass);
        for (var i = 0; i < framesPerClass; i++) all.Add(mosaics.Build(random, null));
        for (var i = 0; i < framesPerClass; i++) all.Add(mosaics.Build(random, kinds[i % kinds.Count], anomalousCells));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var scores = new FrameScore[all.Count];
        for (var start = 0; start < all.Count; start += batchSize)
        {
            var batch = all.Skip(start).Take(batchSize).ToArray();
            detector.ScoreBatch(batch.Select(m => m.Frame).ToArray()).CopyTo(scores, start);
        }
        var scoringTime = clock.Elapsed;

        var tiles = detector.Grid.Layout(mosaics.Width, mosaics.Height);
        bool Located(int i) => all[i].CentreIsAnomalous(tiles[scores[i].TopTile]);
        var normal = Enumerable.Range(0, framesPerClass).ToArray();
        (double, double) Measure(int[] anomalous)
        {
            var ids = normal.Concat(anomalous).ToArray();
            var auroc = Auroc.Compute(ids.Select(i => (float)scores[i].RawValue).ToArray(), ids.Select(i => all[i].IsAnomalous).ToArray());
            return (auroc, anomalous.Count(Located) / (double)anomalous.Length);
        }

        var anomalousIds = Enumerable.Range(framesPerClass, framesPerClass).ToArray();
        var (overall, localisation) = Measure(anomalousIds);
        var byKind = kinds.Distinct().Select(k =>
        {
            var ids = anomalousIds.Where(i => all[i].Anomaly == k).ToArray();
            var (a, l) = Measure(ids);
            return new KindResult(k, ids.Length, a, l);
        }).ToArray();
        // Tile scores of the normal frames, and of the tiles whose centre lies in a foreign cell of each class.
        var normalTiles = normal.SelectMany(i => scores[i].HeatMap).ToArray();
        var byForeignClass = anomalousIds.SelectMany(i => all[i].ForeignClasses.Select(c => (Class: c, Frame: i))).GroupBy(p => p.Class).OrderBy(g => g.Key)
            .Select(g =>
            {
                var ids = g.Select(p => p.Frame).ToArray();
                var (a, l) = Measure(ids);
                var foreignTiles = ids.SelectMany(i => Enumerable.Range(0, tiles.Length)
                    .Where(t => all[i].CentreIsAnomalous(tiles[t]) && all[i].CellClassAt(tiles[t]) == g.Key)
                    .Select(t => scores[i].HeatMap[t])).ToArray();
                var tileAuroc = Auroc.Compute(normalTiles.Concat(foreignTiles).ToArray(),
                    normalTiles.Select(_ => false).Concat(foreignTiles.Select(_ => true)).ToArray());
                return new ForeignClassResult(g.Key, ids.Length, a, l, tileAuroc);
            }).ToArray();
        var shown = anomalousIds.Take(examples - 1).Append(0).Select(i => (all[i], scores[i])).ToArray();
        return new Result(overall, localisation, framesPerClass, framesPerClass, byKind, byForeignClass, scoringTime, shown);
    }
}
