using Vigil.Detectors.Evaluation.Nab;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Evaluation.Selection;

/// <summary>The kinds of anomaly injected into synthetic streams (the same three the detector tests inject).</summary>
public enum SyntheticAnomalyKind
{
    /// <summary>One reading off by 3–6 σ (either sign).</summary>
    Spike,

    /// <summary>Every reading from the onset on moves by 2–4 σ (either sign): a permanent change of level.</summary>
    LevelShift,

    /// <summary>The stream sticks at the reading it had at the onset for 150–300 readings (a stuck sensor).</summary>
    FlatLine,
}

/// <summary>One injected anomaly: its file, kind, first row, length in rows and size (in σ of the file's probationary rows).</summary>
public sealed record SyntheticAnomaly(string RelativePath, SyntheticAnomalyKind Kind, int Onset, int Length, double Sigmas);

/// <summary>
/// A NAB-shaped, labelled corpus built without any NAB label: for choosing settings by a rule that never reads
/// <c>combined_windows.json</c> or <c>combined_labels.json</c> (NAB: "nothing tuned on labels").
/// <para>
/// For each NAB data file only its <b>probationary rows</b> are used (the first 15 %, at most 750: the part a detector
/// may learn from). They are tiled back and forth (P, P reversed, P, …, so the level is continuous at every join) into
/// a stream as long as the file, capped at <see cref="MaxRows"/>. The stream's own first 15 % is then exactly the
/// file's probationary part, so a detector fine-tunes there as in the real run. Into the rest, 1–3 anomalies are
/// injected (one per 1,500 rows, evenly spread with seeded jitter; kinds in rotation: spike, level shift, flat-line;
/// sizes in σ of the probationary rows, fixed a priori). Each anomaly gets a NAB window as NAB builds them: 10 % of the
/// file's rows shared among its anomalies, centred on the onset.
/// </para>
/// </summary>
public static class SyntheticNabCorpus
{
    public const int MaxRows = 4000;
    public const int RowsPerAnomaly = 1500;
    public const int Seed = 2026;

    public const string Description =
        "synthetic NAB: each file's probationary rows tiled back and forth to the file's length (at most 4,000 rows), " +
        "1-3 anomalies per file in the scored part (spike 3-6 sigma, permanent level shift 2-4 sigma, flat-line 150-300 rows, " +
        "in rotation, seeded), NAB windows of 10 % of the rows centred on each onset";

    public sealed record Result(NabCorpus Corpus, IReadOnlyList<SyntheticAnomaly> Anomalies);

    /// <summary>Reads every <c>data/**/*.csv</c> of the NAB folder (values only) and builds the synthetic corpus.</summary>
    public static Result Build(string nabRoot)
    {
        var dataDir = Path.Combine(nabRoot, "data");
        var files = SeriesCsv.ReadAll(dataDir);
        var series = new List<NabSeries>(files.Count);
        var anomalies = new List<SyntheticAnomaly>();
        for (var i = 0; i < files.Count; i++)
        {
            var relative = Path.GetRelativePath(dataDir, files[i].Path).Replace(Path.DirectorySeparatorChar, '/');
            var (s, injected) = BuildOne(relative, files[i], i);
            series.Add(s);
            anomalies.AddRange(injected);
        }
        return new Result(new NabCorpus($"synthetic({nabRoot})", series), anomalies);
    }

    /// <summary>One synthetic stream from one file's probationary rows (channel 0).</summary>
    public static (NabSeries Series, List<SyntheticAnomaly> Anomalies) BuildOne(string relativePath, SeriesData file, int fileIndex)
    {
        var rows = Math.Min(file.Rows, MaxRows);
        var probation = NabSeries.ProbationaryLengthFor(rows);
        if (probation < 2)
            throw new InvalidDataException($"{file.Path}: {file.Rows} rows leave no probationary part to build a synthetic stream from.");
        var probationary = new double[probation];
        for (var t = 0; t < probation; t++) probationary[t] = file[t, 0];
        var mean = probationary.Average();
        var sigma = Math.Sqrt(probationary.Sum(v => (v - mean) * (v - mean)) / probation);
        // A flat probationary part has no spread; 1 % of its level (or 1e-3) is then what a visible change is.
        sigma = Math.Max(sigma, Math.Max(0.01 * Math.Abs(mean), 1e-3));

        var values = new double[rows];
        for (var t = 0; t < rows; t++)
        {
            var k = t % (2 * probation);
            values[t] = probationary[k < probation ? k : 2 * probation - 1 - k];
        }

        var random = new Random(Seed + fileIndex);
        var count = Math.Clamp((int)Math.Ceiling((rows - probation) / (double)RowsPerAnomaly), 1, 3);
        var segment = (rows - probation) / (double)count;
        var width = (int)Math.Floor(0.1 * rows / count);
        var onsets = Enumerable.Range(0, count).Select(k => probation + (int)(segment * k + segment * (0.35 + 0.3 * random.NextDouble()))).ToArray();
        var windows = new List<NabWindow>(count);
        var anomalies = new List<SyntheticAnomaly>(count);
        for (var k = 0; k < count; k++)
        {
            var onset = onsets[k];
            var nextOnset = k + 1 < count ? onsets[k + 1] : rows;
            var kind = (SyntheticAnomalyKind)((fileIndex * 3 + k) % 3);
            var sign = random.NextDouble() < 0.5 ? -1 : 1;
            switch (kind)
            {
                case SyntheticAnomalyKind.Spike:
                {
                    var size = 3 + 3 * random.NextDouble();
                    values[onset] += sign * size * sigma;
                    anomalies.Add(new(relativePath, kind, onset, 1, size));
                    break;
                }
                case SyntheticAnomalyKind.LevelShift:
                {
                    var size = 2 + 2 * random.NextDouble();
                    for (var t = onset; t < rows; t++) values[t] += sign * size * sigma;
                    anomalies.Add(new(relativePath, kind, onset, rows - onset, size));
                    break;
                }
                default:
                {
                    var length = Math.Min(150 + random.Next(151), nextOnset - onset - 1);
                    var stuck = values[onset];
                    for (var t = onset; t < onset + length; t++) values[t] = stuck;
                    anomalies.Add(new(relativePath, kind, onset, length, 0));
                    break;
                }
            }
            var start = Math.Max(0, onset - width / 2);
            windows.Add(new NabWindow(start, Math.Min(rows - 1, start + width - 1)));
        }
        return (new NabSeries(relativePath, file.Timestamps[..rows], values, windows), anomalies);
    }
}
