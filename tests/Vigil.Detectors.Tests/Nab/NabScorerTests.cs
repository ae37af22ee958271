using System.Diagnostics;
using System.Globalization;
using Vigil.Detectors.Evaluation.Nab;
using Xunit.Abstractions;

namespace Vigil.Detectors.Tests.Nab;

/// <summary>The optimiser against brute force, its tie rule, normalisation's fixed points, and its speed.</summary>
public sealed class NabScorerTests(NabCorpusFixture fixture, ITestOutputHelper output) : IClassFixture<NabCorpusFixture>
{
    private static TempNabFolder SyntheticFolder() => new TempNabFolder()
        .AddSeries("alpha/one.csv", 300, (120, 140), (200, 230))
        .AddSeries("alpha/two.csv", 250)
        .AddSeries("beta/three.csv", 400, (60, 70), (300, 301));

    /// <summary>Scores rounded to 2 decimals, so many rows share a score (ties within and across files).</summary>
    private static Dictionary<string, double[]> RandomScores(NabCorpus corpus, int seed)
    {
        var random = new Random(seed);
        return corpus.Series.ToDictionary(s => s.RelativePath,
            s => Enumerable.Range(0, s.RowCount).Select(_ => Math.Round(random.NextDouble() * random.NextDouble(), 2)).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Optimiser_finds_the_best_threshold_that_brute_force_finds(int seed)
    {
        using var folder = SyntheticFolder();
        var scorer = NabScorer.Load(folder.Root);
        var scores = RandomScores(scorer.Corpus, seed);
        foreach (var profile in scorer.Profiles.All)
        {
            var candidates = scorer.Corpus.Series
                .SelectMany(s => scores[s.RelativePath].Skip(s.ProbationaryLength))
                .Append(1.1).Distinct().OrderDescending().ToArray();
            double bestScore = double.NegativeInfinity, bestThreshold = double.NaN;
            foreach (var t in candidates)
            {
                var total = scorer.ScoreAtThreshold(scores, profile, t).Sum(f => f.Score);
                if (total > bestScore + 1e-12)
                    (bestScore, bestThreshold) = (total, t);
            }

            var choice = scorer.OptimiseThreshold(scores, profile);
            Assert.Equal(bestThreshold, choice.Threshold);
            Assert.Equal(bestScore, choice.Score, 9);
        }
    }

    [Fact]
    public void On_a_tie_the_higher_threshold_wins()
    {
        using var folder = new TempNabFolder().AddSeries("a/x.csv", 100, (50, 59));
        var scorer = NabScorer.Load(folder.Root);
        var scores = new double[100];
        scores[52] = 0.9; // the earliest detection: it alone decides the window's value
        scores[57] = 0.8; // a later detection in the same window adds nothing, so 0.9 and 0.8 tie
        var choice = scorer.OptimiseThreshold(new Dictionary<string, double[]> { ["a/x.csv"] = scores }, scorer.Profiles["standard"]);
        Assert.Equal(0.9, choice.Threshold);
        Assert.Equal((1, 0), (choice.TP, choice.FP));
    }

    [Fact]
    public void Nothing_above_the_null_score_keeps_NABs_start_threshold()
    {
        using var folder = new TempNabFolder().AddSeries("a/x.csv", 100, (50, 59));
        var scorer = NabScorer.Load(folder.Root);
        var scores = Enumerable.Range(0, 100).Select(i => i is >= 50 and <= 59 ? 0.0 : 1.0).ToArray();
        var choice = scorer.OptimiseThreshold(new Dictionary<string, double[]> { ["a/x.csv"] = scores }, scorer.Profiles["standard"]);
        Assert.Equal(NabThresholdSweep.StartThreshold, choice.Threshold);
        Assert.Equal(-1.0, choice.Score);
    }

    [Fact]
    public void Window_inside_the_probationary_period_is_not_scored()
    {
        // 100 rows: rows 0..14 are probationary; the window [2, 8] lies inside and counts neither as TP nor as FN.
        using var folder = new TempNabFolder().AddSeries("a/x.csv", 100, (2, 8), (60, 69));
        var scorer = NabScorer.Load(folder.Root);
        var scores = new Dictionary<string, double[]> { ["a/x.csv"] = new double[100] };
        var file = Assert.Single(scorer.ScoreAtThreshold(scores, scorer.Profiles["standard"], 0.5));
        Assert.Equal(-1.0, file.Score);
        Assert.Equal((0, 75, 0, 10, 100), (file.TP, file.TN, file.FP, file.FN, file.TotalCount));
    }

    [Fact]
    public void Null_detector_normalises_to_0_and_a_perfect_one_to_100_on_the_shared_corpus()
    {
        var corpus = fixture.Scorer.Corpus;
        var nullScores = corpus.Series.ToDictionary(s => s.RelativePath, s => Enumerable.Repeat(0.5, s.RowCount).ToArray());
        var perfectScores = corpus.Series.ToDictionary(s => s.RelativePath, s =>
        {
            var scores = new double[s.RowCount];
            foreach (var w in s.Windows)
                scores[Math.Max(w.Start, s.ProbationaryLength)] = 1.0;
            return scores;
        });

        var nullReport = fixture.Scorer.Score("null", nullScores);
        var perfectReport = fixture.Scorer.Score("perfect", perfectScores);
        foreach (var profile in fixture.Scorer.Profiles.All)
        {
            Assert.Equal(0.0, nullReport[profile.Name].NormalisedScore, 9);
            Assert.Equal(-profile.CostMatrix.FnWeight * corpus.WindowCount, nullReport[profile.Name].RawScore, 9);
            Assert.Equal(100.0, perfectReport[profile.Name].NormalisedScore, 9);
            foreach (var category in perfectReport[profile.Name].Categories.Where(c => c.Windows > 0))
                Assert.Equal(100.0, category.NormalisedScore, 9);
        }

        Assert.Equal("NAB standard=0.0 reward_low_FP_rate=0.0 reward_low_FN_rate=0.0", nullReport.SummaryLine());
        Assert.Equal("NAB standard=100.0 reward_low_FP_rate=100.0 reward_low_FN_rate=100.0", perfectReport.SummaryLine());
    }

    [Fact]
    public void Category_scores_add_up_to_the_corpus_score()
    {
        var report = fixture.Scorer.Score("knncad", fixture.Results("knncad").Scores);
        foreach (var profile in report.Profiles)
        {
            Assert.Equal(profile.RawScore, profile.Categories.Sum(c => c.RawScore), 9);
            Assert.Equal(profile.NullScore, profile.Categories.Sum(c => c.NullScore), 9);
            Assert.Equal(fixture.Scorer.Corpus.Series.Count, profile.Categories.Sum(c => c.Files));
            Assert.True(double.IsNaN(profile.Categories.Single(c => c.Category == "artificialNoAnomaly").NormalisedScore));
        }
    }

    [Fact]
    public void Scoring_the_whole_corpus_under_three_profiles_takes_seconds_at_most()
    {
        // windowedGaussian has the most distinct scores (~129k candidate thresholds).
        var scores = fixture.Results("windowedGaussian").Scores;
        fixture.Scorer.Score("warm-up", scores);
        var clock = Stopwatch.StartNew();
        var report = fixture.Scorer.Score("windowedGaussian", scores);
        clock.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{fixture.Scorer.Corpus.RowCount} rows, 3 profiles + null baselines: {clock.Elapsed.TotalMilliseconds:F0} ms; {report.SummaryLine()}"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}
