using System.Diagnostics;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Evaluation.Nab;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Evaluation.Selection;

/// <summary>One setting tried: a detector kind, its raw-error reduction and its stream scoring.</summary>
public sealed record SelectionCandidate(string Kind, int ScoredSteps, StreamScoreOptions Scoring);

/// <summary>A setting's normalised NAB scores on the synthetic corpus (never on NAB's labels).</summary>
public sealed record CandidateScore(SelectionCandidate Candidate, double Standard, double LowFp, double LowFn);

/// <summary>An ensemble rule's synthetic scores, each detector at its own chosen setting.</summary>
public sealed record EnsembleRuleScore(EnsembleRule Rule, double Standard, double LowFp, double LowFn);

/// <summary>How many injected anomalies of one kind the chosen setting detects at its synthetic standard threshold.</summary>
public sealed record AnomalyRecall(string Detector, SyntheticAnomalyKind Kind, int Detected, int Injected);

/// <summary>What <see cref="NabSettingsSelection.Run"/> chose, and everything it compared.</summary>
public sealed record NabSelection(
    string Rule,
    int Files,
    int Rows,
    int Windows,
    IReadOnlyList<CandidateScore> Candidates,
    IReadOnlyDictionary<string, CandidateScore> Chosen,
    IReadOnlyList<EnsembleRuleScore> EnsembleRules,
    EnsembleRule ChosenEnsembleRule,
    IReadOnlyList<AnomalyRecall> Recall,
    TimeSpan Elapsed)
{
    /// <summary>The evaluation options with the chosen settings in place.</summary>
    public NabEvaluationOptions Apply(NabEvaluationOptions options) => options with
    {
        Scoring = null,
        ScoringByKind = Chosen.ToDictionary(c => c.Key, c => c.Value.Candidate.Scoring),
        ScoredStepsByKind = Chosen.Where(c => c.Value.Candidate.ScoredSteps > 0).ToDictionary(c => c.Key, c => c.Value.Candidate.ScoredSteps),
        EnsembleRule = ChosenEnsembleRule,
    };
}

/// <summary>
/// The label-free selection rule for NAB (NAB: "nothing tuned on labels"). Every setting of
/// <see cref="StreamScoreGrid"/> is run over the <see cref="SyntheticNabCorpus"/> — built from NAB's probationary rows
/// only, with injected spikes, level shifts and flat-lines as its labels — under NAB's own protocol (probationary
/// fine-tuning, online scoring) and scored by Vigil's NAB scorer; the setting with the highest synthetic
/// <c>standard</c> score wins (ties: the earlier, simpler one). The ensemble's rule is then chosen the same way
/// with each detector at its chosen setting. NAB's label files are never opened.
/// </summary>
public static class NabSettingsSelection
{
    public const string RuleText =
        "highest normalised NAB 'standard' score on the synthetic corpus (" + SyntheticNabCorpus.Description +
        "), over every stream-scoring setting of the fixed grid; ties keep the simpler setting; NAB labels never read";

    public static NabSelection Run(string nabRoot, NabEvaluationOptions baseOptions, IReadOnlyList<string> kinds, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var synthetic = SyntheticNabCorpus.Build(nabRoot);
        var corpus = synthetic.Corpus;
        var scorer = new NabScorer(corpus, NabProfiles.Load(nabRoot));
        log?.Invoke($"synthetic corpus: {corpus.Series.Count} files, {corpus.RowCount:N0} rows, {corpus.WindowCount} injected anomalies " +
                    $"({string.Join(", ", synthetic.Anomalies.GroupBy(a => a.Kind).Select(g => $"{g.Count()} {g.Key}"))})");

        var grid = StreamScoreGrid.Candidates();
        var candidates = new List<CandidateScore>();
        var chosen = new Dictionary<string, CandidateScore>();
        var chosenScores = new Dictionary<string, Dictionary<string, double[]>>();
        foreach (var kind in kinds)
        {
            var window = ModelBundle.Open(Path.Combine(baseOptions.ModelsPath, kind)).Manifest.Window;
            foreach (var steps in StreamScoreGrid.ScoredSteps(kind, window))
            {
                var variantClock = Stopwatch.StartNew();
                Dictionary<string, float[]> raw;
                using (var evaluation = new NabEvaluation(baseOptions with
                       {
                           Detector = kind,
                           ScoredStepsByKind = steps > 0 ? new Dictionary<string, int> { [kind] = steps } : new Dictionary<string, int>(),
                       }))
                    raw = corpus.Series.ToDictionary(s => s.RelativePath, s => evaluation.RawErrors(kind, s));
                var rawSeconds = variantClock.Elapsed.TotalSeconds;
                foreach (var options in grid)
                {
                    var report = scorer.Score(kind, ScoresOf(corpus, raw, options));
                    candidates.Add(new CandidateScore(new SelectionCandidate(kind, steps, options),
                        report["standard"].NormalisedScore, report["reward_low_FP_rate"].NormalisedScore, report["reward_low_FN_rate"].NormalisedScore));
                }
                var bestHere = candidates.Where(c => c.Candidate.Kind == kind && c.Candidate.ScoredSteps == steps).MaxBy(c => c.Standard)!;
                log?.Invoke(FormattableString.Invariant(
                    $"{kind}{(steps > 0 ? $" (error over newest {steps})" : "")}: raw errors {rawSeconds:F0} s, {grid.Count} settings scored; best synthetic standard {bestHere.Standard:F1}"));
                if (!chosen.TryGetValue(kind, out var sofar) || bestHere.Standard > sofar.Standard)
                {
                    chosen[kind] = bestHere;
                    chosenScores[kind] = ScoresOf(corpus, raw, bestHere.Candidate.Scoring);
                }
            }
        }

        var recall = new List<AnomalyRecall>();
        foreach (var kind in kinds) recall.AddRange(RecallOf(kind, scorer, synthetic, chosenScores[kind]));

        var rules = new List<EnsembleRuleScore>();
        var chosenRule = EnsembleScore.Default;
        if (kinds.Contains(DetectorKinds.LstmDcnn) && kinds.Contains(DetectorKinds.Autoencoder))
        {
            Dictionary<string, double[]> Combined(EnsembleRule rule) => corpus.Series.ToDictionary(s => s.RelativePath, s => EnsembleScore.Combine(
                [chosenScores[DetectorKinds.LstmDcnn][s.RelativePath], chosenScores[DetectorKinds.Autoencoder][s.RelativePath]], rule));
            foreach (var rule in Enum.GetValues<EnsembleRule>())
            {
                var report = scorer.Score(DetectorKinds.Ensemble, Combined(rule));
                rules.Add(new EnsembleRuleScore(rule, report["standard"].NormalisedScore,
                    report["reward_low_FP_rate"].NormalisedScore, report["reward_low_FN_rate"].NormalisedScore));
            }
            chosenRule = rules.MaxBy(r => r.Standard)!.Rule;
            var bestCombined = Combined(chosenRule);
            recall.AddRange(RecallOf(DetectorKinds.Ensemble, scorer, synthetic, bestCombined!));
        }

        return new NabSelection(RuleText, corpus.Series.Count, corpus.RowCount, corpus.WindowCount, candidates, chosen, rules, chosenRule, recall,
            clock.Elapsed);
    }

    private static Dictionary<string, double[]> ScoresOf(NabCorpus corpus, Dictionary<string, float[]> raw, StreamScoreOptions options) =>
        corpus.Series.ToDictionary(s => s.RelativePath, s => SeriesStreamScorer.Scores(raw[s.RelativePath], s.Values, options: options));

    /// <summary>Per anomaly kind: windows with at least one row at or above the synthetic standard threshold.</summary>
    private static IEnumerable<AnomalyRecall> RecallOf(string detector, NabScorer scorer, SyntheticNabCorpus.Result synthetic,
        IReadOnlyDictionary<string, double[]> scores)
    {
        var threshold = scorer.OptimiseThreshold(scores, scorer.Profiles["standard"]).Threshold;
        var detected = new Dictionary<SyntheticAnomalyKind, (int Hit, int All)>();
        foreach (var series in synthetic.Corpus.Series)
        {
            var injected = synthetic.Anomalies.Where(a => a.RelativePath == series.RelativePath).ToList();
            for (var i = 0; i < series.Windows.Count; i++)
            {
                var w = series.Windows[i];
                var hit = false;
                for (var t = w.Start; t <= w.End && !hit; t++) hit = scores[series.RelativePath][t] >= threshold;
                var (h, a) = detected.GetValueOrDefault(injected[i].Kind);
                detected[injected[i].Kind] = (h + (hit ? 1 : 0), a + 1);
            }
        }
        return detected.OrderBy(d => d.Key).Select(d => new AnomalyRecall(detector, d.Key, d.Value.Hit, d.Value.All));
    }
}
