using System.Globalization;
using System.Text.Json;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Evaluation;
using Vigil.Detectors.Evaluation.Selection;
using Vigil.Detectors.Series;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil evaluate nab --select</c>: runs the label-free selection (<see cref="NabSettingsSelection"/>), prints what it
/// compared and chose, writes it to <c>&lt;out&gt;/selection.json</c>, and hands back the options to evaluate with.
/// </summary>
public static class NabSelectionReport
{
    public const string FileName = "selection.json";

    public static (NabEvaluationOptions Options, NabSelection Selection) SelectAndReport(string nabRoot, string outDir, NabEvaluationOptions options)
    {
        var kinds = options.Detector == DetectorKinds.Ensemble
            ? new[] { DetectorKinds.LstmDcnn, DetectorKinds.Autoencoder }
            : new[] { options.Detector };
        Console.WriteLine($"selecting settings without labels: {NabSettingsSelection.RuleText}");
        NabSelection selection;
        try
        {
            selection = NabSettingsSelection.Run(nabRoot, options, kinds, Console.WriteLine);
        }
        catch (InvalidDataException e)
        {
            throw new CliUserException(e.Message, e);
        }
        catch (BundleException e)
        {
            throw new CliUserException($"{e.Message} (train one with 'vigil train ...' or pass --models).", e);
        }

        foreach (var kind in kinds)
        {
            Console.WriteLine($"synthetic NAB, {kind}, best 5 of {selection.Candidates.Count(c => c.Candidate.Kind == kind)} settings (standard / low FP / low FN):");
            foreach (var c in selection.Candidates.Where(c => c.Candidate.Kind == kind).OrderByDescending(c => c.Standard).Take(5))
                Console.WriteLine(Line(c));
            Console.WriteLine($"  chosen: {Describe(selection.Chosen[kind].Candidate)}");
        }
        foreach (var r in selection.EnsembleRules)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"synthetic NAB, ensemble {r.Rule,-4}: {r.Standard,5:F1} / {r.LowFp,5:F1} / {r.LowFn,5:F1}{(r.Rule == selection.ChosenEnsembleRule ? "  chosen" : "")}"));
        foreach (var r in selection.Recall)
            Console.WriteLine($"synthetic recall at the standard threshold, {r.Detector}: {r.Kind} {r.Detected}/{r.Injected}");
        Console.WriteLine($"selection took {selection.Elapsed.TotalMinutes:F1} min");

        Directory.CreateDirectory(outDir);
        var path = Path.Combine(outDir, FileName);
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            rule = selection.Rule,
            syntheticFiles = selection.Files,
            syntheticRows = selection.Rows,
            syntheticWindows = selection.Windows,
            chosen = selection.Chosen.ToDictionary(c => c.Key, c => new
            {
                scoredSteps = c.Value.Candidate.ScoredSteps,
                streamScore = c.Value.Candidate.Scoring,
                synthetic = new { standard = Round(c.Value.Standard), lowFp = Round(c.Value.LowFp), lowFn = Round(c.Value.LowFn) },
            }),
            ensembleRule = selection.EnsembleRules.Count > 0 ? selection.ChosenEnsembleRule.ToString() : null,
            ensembleRules = selection.EnsembleRules.Select(r => new { rule = r.Rule.ToString(), standard = Round(r.Standard), lowFp = Round(r.LowFp), lowFn = Round(r.LowFn) }),
            recall = selection.Recall.Select(r => new { detector = r.Detector, kind = r.Kind.ToString(), r.Detected, r.Injected }),
            candidates = selection.Candidates.Select(c => new
            {
                kind = c.Candidate.Kind,
                scoredSteps = c.Candidate.ScoredSteps,
                setting = StreamScoreGrid.Describe(c.Candidate.Scoring),
                standard = Round(c.Standard),
                lowFp = Round(c.LowFp),
                lowFn = Round(c.LowFn),
            }),
        }, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"selection: {Path.GetFullPath(path)}");
        return (selection.Apply(options), selection);
    }

    /// <summary>
    /// Before <c>--record</c> writes anything: for each bundle whose threshold the chosen raw error or stream scoring
    /// makes stale, its recalibration on its own training data (NAB's probationary rows, as the shipped bundles were
    /// trained: <c>vigil train ... --data &lt;nab&gt;/data --probationary-only</c>). Data that is not the bundle's training
    /// data (fingerprint) is refused here, before the evaluation, and nothing is recorded.
    /// </summary>
    public static IReadOnlyDictionary<string, SeriesCalibration.WindowCalibration> PrepareRecord(string nabRoot, NabEvaluationOptions options, NabSelection selection)
    {
        var recalibrations = new Dictionary<string, SeriesCalibration.WindowCalibration>();
        IReadOnlyList<SeriesData>? training = null;
        foreach (var (kind, chosen) in selection.Chosen)
        {
            var directory = Path.Combine(options.ModelsPath, kind);
            try
            {
                var manifest = ModelBundle.Open(directory).Manifest;
                var steps = ScoredSteps(manifest, chosen);
                if (!SeriesRecalibration.IsNeeded(manifest, steps, chosen.Candidate.Scoring)) continue;
                training ??= TrainingData(nabRoot);
                var before = manifest.Threshold;
                var calibration = SeriesRecalibration.Compute(directory, training, steps, chosen.Candidate.Scoring);
                var after = calibration.Calibration.Threshold;
                var error = SeriesCalibration.ErrorDescription(kind, SeriesHyperparameters.FromManifest(manifest.Hyperparameters) with { ScoredSteps = steps });
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{kind}: threshold recalibrated for the recorded error ({error}, " +
                    $"error floor {chosen.Candidate.Scoring.ErrorFloor}): raw {before.RawValue:G6} -> {after.RawValue:G6}, score {before.Score:F4} -> {after.Score:F4}"));
                recalibrations[kind] = calibration;
            }
            catch (BundleException e)
            {
                throw new CliUserException($"{e.Message} (nothing recorded)", e);
            }
            catch (InvalidDataException e)
            {
                throw new CliUserException($"{e.Message} (recalibrating '{directory}'; nothing recorded)", e);
            }
        }
        return recalibrations;
    }

    /// <summary>NAB's probationary rows of every file under <c>&lt;nab&gt;/data</c>, read as <c>vigil train --probationary-only</c> reads them.</summary>
    private static IReadOnlyList<SeriesData> TrainingData(string nabRoot) =>
        SeriesCsv.ReadAll(Path.Combine(nabRoot, "data")).Select(s => s.Head(TrainSeriesCommand.ProbationaryRows(s.Rows))).ToList();

    /// <summary>The raw-error reduction the bundle has after recording: the selection's where it chose one, else the bundle's own.</summary>
    private static int ScoredSteps(BundleManifest manifest, CandidateScore chosen) =>
        chosen.Candidate.ScoredSteps > 0 ? chosen.Candidate.ScoredSteps : SeriesHyperparameters.FromManifest(manifest.Hyperparameters).ScoredSteps;

    /// <summary>
    /// <c>--record</c>: each bundle's manifest gets the stream scoring the selection chose (<c>streamScore</c>), how it
    /// was chosen (<c>streamScoreSelection</c>), its synthetic scores and, for a single-detector run, the NAB scores;
    /// a bundle in <paramref name="recalibrations"/> (<see cref="PrepareRecord"/>) also its recalibrated threshold and
    /// raw-error figures, so the threshold always describes the error the manifest says the bundle reports.
    /// </summary>
    public static IEnumerable<string> Record(NabEvaluationOptions options, NabSelection selection, Vigil.Detectors.Evaluation.Nab.NabScoreReport report,
        IReadOnlyDictionary<string, SeriesCalibration.WindowCalibration> recalibrations)
    {
        foreach (var (kind, chosen) in selection.Chosen)
        {
            var directory = Path.Combine(options.ModelsPath, kind);
            Vigil.Detectors.Series.SeriesBundle.UpdateManifest(directory, m =>
            {
                if (recalibrations.TryGetValue(kind, out var recalibration)) m = SeriesRecalibration.Apply(m, recalibration);
                else if (SeriesRecalibration.IsNeeded(m, ScoredSteps(m, chosen), chosen.Candidate.Scoring))
                    throw new CliUserException($"'{directory}' changed while it was evaluated (its threshold would no longer fit); nothing recorded there.");
                var hyperparameters = new Dictionary<string, JsonElement>(m.Hyperparameters)
                {
                    ["streamScore"] = JsonSerializer.SerializeToElement(chosen.Candidate.Scoring),
                    ["streamScoreSelection"] = JsonSerializer.SerializeToElement(new
                    {
                        rule = selection.Rule,
                        scoredSteps = chosen.Candidate.ScoredSteps,
                        // A single-detector run compares no ensemble rules: the one an ensemble run recorded stays.
                        ensembleRule = selection.EnsembleRules.Count > 0 ? selection.ChosenEnsembleRule.ToString() : RecordedEnsembleRule(m),
                        candidates = selection.Candidates.Count(c => c.Candidate.Kind == kind),
                    }),
                };
                // The raw-error reduction the selection chose is the bundle's own from now on (the loader reads it here).
                if (chosen.Candidate.ScoredSteps > 0) hyperparameters["scoredSteps"] = JsonSerializer.SerializeToElement(chosen.Candidate.ScoredSteps);
                var evaluation = new Dictionary<string, double>(m.Evaluation)
                {
                    ["syntheticNabStandard"] = Round(chosen.Standard),
                    ["syntheticNabLowFp"] = Round(chosen.LowFp),
                    ["syntheticNabLowFn"] = Round(chosen.LowFn),
                };
                if (options.Detector == kind)
                {
                    evaluation["nabStandard"] = Math.Round(report["standard"].NormalisedScore, 1);
                    evaluation["nabLowFp"] = Math.Round(report["reward_low_FP_rate"].NormalisedScore, 1);
                    evaluation["nabLowFn"] = Math.Round(report["reward_low_FN_rate"].NormalisedScore, 1);
                }
                return m with { Hyperparameters = hyperparameters, Evaluation = evaluation };
            });
            yield return Path.Combine(directory, Vigil.Detectors.Bundles.ModelBundle.ManifestFile);
        }
    }

    private static string? RecordedEnsembleRule(BundleManifest manifest) =>
        manifest.Hyperparameters.TryGetValue("streamScoreSelection", out var recorded) && recorded.ValueKind == JsonValueKind.Object &&
        recorded.TryGetProperty("ensembleRule", out var rule) && rule.ValueKind == JsonValueKind.String
            ? rule.GetString()
            : null;

    private static double Round(double value) => Math.Round(value, 2);

    private static string Describe(SelectionCandidate c) =>
        (c.ScoredSteps > 0 ? $"error over newest {c.ScoredSteps}, " : "") + StreamScoreGrid.Describe(c.Scoring);

    private static string Line(CandidateScore c) => string.Create(CultureInfo.InvariantCulture,
        $"  {c.Standard,5:F1} / {c.LowFp,5:F1} / {c.LowFn,5:F1}  {Describe(c.Candidate)}");
}
