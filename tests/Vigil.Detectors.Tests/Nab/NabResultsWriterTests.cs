using System.Globalization;
using Vigil.Detectors.Evaluation.Nab;

namespace Vigil.Detectors.Tests.Nab;

/// <summary>Written NAB results read back to the same scores, with NAB's S(t) columns and _scores.csv summaries.</summary>
public sealed class NabResultsWriterTests
{
    [Fact]
    public void Written_results_score_the_same_as_the_scores_in_memory_and_carry_S_t_and_summaries()
    {
        using var folder = new TempNabFolder()
            .AddSeries("alpha/one.csv", 300, (120, 140), (200, 230))
            .AddSeries("beta/two.csv", 200, (90, 99));
        var scorer = NabScorer.Load(folder.Root);
        var random = new Random(7);
        var scores = scorer.Corpus.Series.ToDictionary(s => s.RelativePath,
            s => Enumerable.Range(0, s.RowCount).Select(_ => random.NextDouble()).ToArray());
        var resultsDir = Path.Combine(folder.Root, "results", "mydet");

        NabResultsWriter.WriteResults(resultsDir, "mydet", scorer.Corpus, scores);
        var inMemory = scorer.Score("mydet", scores);
        var fromFiles = NabScorer.ScoreResultsFolder(folder.Root, resultsDir);
        Assert.Equal("mydet", fromFiles.Detector);
        foreach (var profile in inMemory.Profiles)
            Assert.Equal(profile.Files, fromFiles[profile.Profile.Name].Files);

        NabResultsWriter.WriteScoredResults(resultsDir, scorer, inMemory, scores);
        var resultFile = Path.Combine(resultsDir, "alpha", "mydet_one.csv");
        var lines = File.ReadAllLines(resultFile);
        Assert.Equal("timestamp,value,anomaly_score,label,S(t)_standard,S(t)_reward_low_FP_rate,S(t)_reward_low_FN_rate", lines[0]);
        Assert.Equal(301, lines.Length);
        Assert.Equal("1", lines[121].Split(',')[3]); // row 120 opens the first window
        var standardColumn = lines.Skip(1).Sum(l => double.Parse(l.Split(',')[4], CultureInfo.InvariantCulture));
        Assert.Equal(inMemory["standard"].Files.Single(f => f.RelativePath == "alpha/one.csv").Score, standardColumn, 9);

        // The scored files still read back as results.
        Assert.Equal(inMemory["standard"].Files, NabScorer.ScoreResultsFolder(folder.Root, resultsDir)["standard"].Files);

        var summary = File.ReadAllLines(Path.Combine(resultsDir, "mydet_reward_low_FN_rate_scores.csv"));
        Assert.Equal("Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count", summary[0]);
        Assert.Equal(scorer.Corpus.Series.Count + 2, summary.Length);
        var totals = summary[^1].Split(',');
        Assert.Equal("Totals", totals[0]);
        Assert.Equal(inMemory["reward_low_FN_rate"].RawScore, double.Parse(totals[4], CultureInfo.InvariantCulture));
        var first = summary[1].Split(',');
        var expected = inMemory["reward_low_FN_rate"].Files[0];
        Assert.Equal(["mydet", "reward_low_FN_rate", expected.RelativePath], first[..3]);
        Assert.Equal(expected.Score, double.Parse(first[4], CultureInfo.InvariantCulture));
        Assert.Equal(expected.TP, int.Parse(first[5], CultureInfo.InvariantCulture));
    }
}
