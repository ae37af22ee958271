using System.Globalization;
using System.Text;

namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// Writes NAB-format results for one detector under <c>resultsDir</c> (that detector's folder, e.g.
/// <c>results/lstm-dcnn</c>): per series <c>&lt;category&gt;/&lt;detector&gt;_&lt;name&gt;.csv</c> with
/// <c>timestamp,value,anomaly_score,label</c> (plus NAB's <c>S(t)_&lt;profile&gt;</c> columns once scored), and per
/// profile <c>&lt;detector&gt;_&lt;profile&gt;_scores.csv</c> with NAB's per-file rows and its closing Totals row.
/// The files read back with <see cref="NabResultsFolder"/> and NAB's own tools.
/// </summary>
public static class NabResultsWriter
{
    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>The raw result files, before scoring. Returns the paths written.</summary>
    public static IReadOnlyList<string> WriteResults(
        string resultsDir, string detector, NabCorpus corpus, IReadOnlyDictionary<string, double[]> anomalyScores) =>
        corpus.Series.Select(s => WriteSeries(resultsDir, detector, s, ScoresOf(anomalyScores, s), [])).ToArray();

    /// <summary>
    /// Result files with every profile's <c>S(t)</c> column at that profile's threshold, and the per-profile
    /// <c>_scores.csv</c> summaries. <paramref name="report"/> must come from <paramref name="scorer"/> and these scores.
    /// </summary>
    public static void WriteScoredResults(
        string resultsDir, NabScorer scorer, NabScoreReport report, IReadOnlyDictionary<string, double[]> anomalyScores)
    {
        foreach (var series in scorer.Corpus.Series)
        {
            var scores = ScoresOf(anomalyScores, series);
            var columns = report.Profiles
                .Select(p => ($"S(t)_{p.Profile.Name}", scorer.RowContributions(series, scores, p.Profile, p.Threshold)))
                .ToArray();
            WriteSeries(resultsDir, report.Detector, series, scores, columns);
        }

        foreach (var profile in report.Profiles)
            WriteSummary(resultsDir, report.Detector, profile);
    }

    /// <summary>NAB's <c>&lt;detector&gt;_&lt;profile&gt;_scores.csv</c>. Returns its path.</summary>
    public static string WriteSummary(string resultsDir, string detector, NabProfileScore profile)
    {
        Directory.CreateDirectory(resultsDir);
        var path = Path.Combine(resultsDir, $"{detector}_{profile.Profile.Name}_scores.csv");
        var text = new StringBuilder("Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count\n");
        foreach (var f in profile.Files)
            text.Append(CultureInfo.InvariantCulture,
                $"{detector},{profile.Profile.Name},{f.RelativePath},{Number(f.Threshold)},{Number(f.Score)},{f.TP},{f.TN},{f.FP},{f.FN},{f.TotalCount}\n");
        text.Append(CultureInfo.InvariantCulture,
            $"Totals,,,,{Number(profile.RawScore)},{profile.TP},{profile.TN},{profile.FP},{profile.FN},{profile.Files.Sum(f => f.TotalCount)}\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string WriteSeries(
        string resultsDir, string detector, NabSeries series, double[] scores, IReadOnlyList<(string Name, double[] Values)> extra)
    {
        var path = NabResultsFolder.ResultPath(resultsDir, detector, series);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var labels = series.Labels();
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.Write("timestamp,value,anomaly_score,label");
        foreach (var (name, _) in extra)
            writer.Write($",{name}");
        writer.Write('\n');
        for (var i = 0; i < series.RowCount; i++)
        {
            writer.Write(series.Timestamps[i].ToString(TimestampFormat, CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(Number(series.Values[i]));
            writer.Write(',');
            writer.Write(Number(scores[i]));
            writer.Write(',');
            writer.Write(labels[i]);
            foreach (var (_, values) in extra)
            {
                writer.Write(',');
                writer.Write(Number(values[i]));
            }

            writer.Write('\n');
        }

        return path;
    }

    private static double[] ScoresOf(IReadOnlyDictionary<string, double[]> anomalyScores, NabSeries series)
    {
        if (!anomalyScores.TryGetValue(series.RelativePath, out var scores))
            throw new NabDataException(series.RelativePath, null, "no anomaly scores for this file of the NAB corpus.");
        if (scores.Length != series.RowCount)
            throw new NabDataException(series.RelativePath, null,
                $"{scores.Length} anomaly scores for {series.RowCount} rows (one per row is needed).");
        return scores;
    }

    /// <summary>Shortest text that reads back to the same double.</summary>
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
