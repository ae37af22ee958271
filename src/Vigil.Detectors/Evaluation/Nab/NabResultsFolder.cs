namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// Reads one detector's NAB result files (<c>&lt;resultsDir&gt;/&lt;category&gt;/&lt;detector&gt;_&lt;name&gt;.csv</c>,
/// column <c>anomaly_score</c>, one row per data row). Every series of the corpus must have its file; files for series
/// the corpus does not hold (e.g. NAB's full 58-file results against a partial copy) are listed, not scored.
/// </summary>
public static class NabResultsFolder
{
    public const string ScoreColumn = "anomaly_score";

    public sealed record Contents(string Detector, Dictionary<string, double[]> Scores, IReadOnlyList<string> IgnoredFiles);

    /// <summary>NAB names a detector by its results folder.</summary>
    public static string DetectorNameOf(string resultsDir) =>
        Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(resultsDir)));

    public static string ResultPath(string resultsDir, string detector, NabSeries series) =>
        Path.Combine(resultsDir, series.Category, $"{detector}_{series.Name}");

    public static Contents Read(NabCorpus corpus, string resultsDir, string? detector = null)
    {
        if (!Directory.Exists(resultsDir))
            throw new NabDataException(resultsDir, null, "results folder not found.");
        detector ??= DetectorNameOf(resultsDir);

        var scores = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var series in corpus.Series)
        {
            var path = ResultPath(resultsDir, detector, series);
            if (!File.Exists(path))
                throw new NabDataException(path, null,
                    $"missing: detector '{detector}' has no result file for data/{series.RelativePath}.");
            scores[series.RelativePath] = ReadScores(path, series);
            used.Add(Path.GetFullPath(path));
        }

        var ignored = Directory.EnumerateDirectories(resultsDir)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.csv", SearchOption.AllDirectories))
            .Where(f => !used.Contains(Path.GetFullPath(f)))
            .Select(f => Path.GetRelativePath(resultsDir, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return new Contents(detector, scores, ignored);
    }

    /// <summary>The anomaly scores of one result file, checked row by row against its data file.</summary>
    public static double[] ReadScores(string path, NabSeries series)
    {
        var csv = NabCsv.Read(path, path);
        var scoreColumn = csv.Column(ScoreColumn);
        var timeColumn = csv.OptionalColumn("timestamp");
        if (csv.Rows.Count != series.RowCount)
        {
            var line = csv.Rows.Count > series.RowCount ? csv.Rows[series.RowCount].Line : csv.Rows[^1].Line + 1;
            throw new NabDataException(path, line,
                $"{csv.Rows.Count} rows, but data/{series.RelativePath} has {series.RowCount} (one result row per data row).");
        }

        var scores = new double[series.RowCount];
        for (var i = 0; i < scores.Length; i++)
        {
            var row = csv.Rows[i];
            if (timeColumn is { } t && csv.Timestamp(row, t) != series.Timestamps[i])
                throw new NabDataException(path, row.Line,
                    $"timestamp {row.Fields[t].Trim()} does not match row {i + 1} of data/{series.RelativePath} " +
                    $"({series.Timestamps[i]:yyyy-MM-dd HH:mm:ss}).");
            scores[i] = csv.FiniteNumber(row, scoreColumn);
        }

        return scores;
    }
}
