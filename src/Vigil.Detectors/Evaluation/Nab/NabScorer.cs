namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// NAB's scoring of one detector over a corpus, per profile: the corpus-wide optimal threshold
/// (<see cref="NabThresholdSweep"/>), every file scored at it (<c>_scores.csv</c> rows), the raw total, and the
/// normalised score against NAB's null detector and a perfect one, also per category.
/// </summary>
public sealed class NabScorer(NabCorpus corpus, NabProfiles profiles)
{
    public NabCorpus Corpus { get; } = corpus;

    public NabProfiles Profiles { get; } = profiles;

    /// <summary>Corpus and profiles of a NAB folder.</summary>
    public static NabScorer Load(string nabRoot) => new(NabCorpus.Load(nabRoot), NabProfiles.Load(nabRoot));

    /// <summary>Scores a NAB results folder of one detector against the NAB folder it was produced from.</summary>
    public static NabScoreReport ScoreResultsFolder(string nabRoot, string resultsDir, string? detector = null)
    {
        var scorer = Load(nabRoot);
        var contents = NabResultsFolder.Read(scorer.Corpus, resultsDir, detector);
        return scorer.Score(contents.Detector, contents.Scores) with { IgnoredResultFiles = contents.IgnoredFiles };
    }

    /// <param name="anomalyScores">Per relative path (<c>category/name.csv</c>), one score per row of that file.</param>
    public NabScoreReport Score(string detector, IReadOnlyDictionary<string, double[]> anomalyScores)
    {
        var aligned = Align(anomalyScores);
        var sweep = new NabThresholdSweep(Corpus, aligned);
        var nullScores = Corpus.Series.Select(s => Enumerable.Repeat(NabNormalisation.NullDetectorScore, s.RowCount).ToArray()).ToArray();
        var nullSweep = new NabThresholdSweep(Corpus, nullScores);

        var results = new List<NabProfileScore>(Profiles.All.Count);
        foreach (var profile in Profiles.All)
        {
            var cost = profile.CostMatrix;
            var choice = sweep.Optimise(cost);
            var files = ScoreFiles(aligned, cost, choice.Threshold);
            var nullFiles = ScoreFiles(nullScores, cost, nullSweep.Optimise(cost).Threshold);

            var raw = files.Sum(f => f.Score);
            var nullRaw = nullFiles.Sum(f => f.Score);
            var perfect = NabNormalisation.PerfectScore(Corpus.WindowCount, cost);
            results.Add(new NabProfileScore(profile, choice.Threshold, raw, nullRaw, perfect,
                NabNormalisation.Normalise(raw, nullRaw, perfect), files, ByCategory(files, nullFiles, cost)));
        }

        return new NabScoreReport(detector, results);
    }

    /// <summary>The threshold NAB's optimiser picks for one profile, and the corpus score and counts there.</summary>
    public NabThresholdChoice OptimiseThreshold(IReadOnlyDictionary<string, double[]> anomalyScores, NabProfile profile) =>
        new NabThresholdSweep(Corpus, Align(anomalyScores)).Optimise(profile.CostMatrix);

    /// <summary>Every file scored at a given threshold (NAB's <c>scoreCorpus</c>), in the corpus's order.</summary>
    public IReadOnlyList<NabFileScore> ScoreAtThreshold(IReadOnlyDictionary<string, double[]> anomalyScores, NabProfile profile, double threshold) =>
        ScoreFiles(Align(anomalyScores), profile.CostMatrix, threshold);

    /// <summary>NAB's per-row <c>S(t)_&lt;profile&gt;</c> column of one file at a threshold.</summary>
    public double[] RowContributions(NabSeries series, double[] anomalyScores, NabProfile profile, double threshold)
    {
        CheckScores(series, anomalyScores);
        return NabFileScoring.RowContributions(series, anomalyScores, NabSweepScore.RowWeights(series, profile.CostMatrix),
            profile.CostMatrix, threshold);
    }

    private NabFileScore[] ScoreFiles(IReadOnlyList<double[]> aligned, NabCostMatrix cost, double threshold)
    {
        var files = new NabFileScore[Corpus.Series.Count];
        for (var s = 0; s < files.Length; s++)
        {
            var series = Corpus.Series[s];
            files[s] = NabFileScoring.Score(series, aligned[s], NabSweepScore.RowWeights(series, cost), cost, threshold);
        }

        return files;
    }

    private NabCategoryScore[] ByCategory(NabFileScore[] files, NabFileScore[] nullFiles, NabCostMatrix cost) =>
        Corpus.Categories.Select(category =>
        {
            var indices = Enumerable.Range(0, files.Length).Where(i => Corpus.Series[i].Category == category).ToArray();
            var windows = indices.Sum(i => Corpus.Series[i].Windows.Count);
            var raw = indices.Sum(i => files[i].Score);
            var nullRaw = indices.Sum(i => nullFiles[i].Score);
            var perfect = NabNormalisation.PerfectScore(windows, cost);
            return new NabCategoryScore(category, indices.Length, windows, raw, nullRaw, perfect,
                NabNormalisation.Normalise(raw, nullRaw, perfect));
        }).ToArray();

    /// <summary>The scores in the corpus's series order; every series needs one finite score per row, and no extra keys.</summary>
    private double[][] Align(IReadOnlyDictionary<string, double[]> anomalyScores)
    {
        foreach (var key in anomalyScores.Keys)
            if (!Corpus.TryGetSeries(key, out _))
                throw new NabDataException(key, null, "anomaly scores were given for a file that is not in the NAB corpus.");
        var aligned = new double[Corpus.Series.Count][];
        for (var s = 0; s < aligned.Length; s++)
        {
            var series = Corpus.Series[s];
            if (!anomalyScores.TryGetValue(series.RelativePath, out var scores))
                throw new NabDataException(series.RelativePath, null, "no anomaly scores for this file of the NAB corpus.");
            CheckScores(series, scores);
            aligned[s] = scores;
        }

        return aligned;
    }

    private static void CheckScores(NabSeries series, double[] scores)
    {
        if (scores.Length != series.RowCount)
            throw new NabDataException(series.RelativePath, null,
                $"{scores.Length} anomaly scores for {series.RowCount} rows (one per row is needed).");
        for (var i = 0; i < scores.Length; i++)
            if (!double.IsFinite(scores[i]))
                // Line i + 2: the data file's header is line 1.
                throw new NabDataException(series.RelativePath, i + 2, $"anomaly score {scores[i]} is not a finite number.");
    }
}
