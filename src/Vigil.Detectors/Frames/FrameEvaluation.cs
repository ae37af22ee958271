using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Frame-level evaluation on mosaics: equal numbers of normal and anomalous frames, frame AUROC of the frame's
/// raw value (the max tile), and localisation = share of anomalous frames whose top tile centre lies in an
/// anomalous cell. Reports the same per anomaly kind.
/// </summary>
public sealed class FrameEvaluation(IFrameDetector detector, MosaicFrames mosaics)
{
    public sealed record KindResult(MosaicAnomaly Kind, int Frames, double Auroc, double Localisation);

    public sealed record Result(double Auroc, double Localisation, int NormalFrames, int AnomalousFrames, IReadOnlyList<KindResult> ByKind,
        TimeSpan ScoringTime, IReadOnlyList<(Mosaic Mosaic, FrameScore Score)> Examples);

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
        var shown = anomalousIds.Take(examples - 1).Append(0).Select(i => (all[i], scores[i])).ToArray();
        return new Result(overall, localisation, framesPerClass, framesPerClass, byKind, scoringTime, shown);
    }
}
