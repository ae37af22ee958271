using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Evaluation;
using Vigil.Detectors.Evaluation.Nab;
using Vigil.Detectors.Evaluation.Selection;
using Vigil.Detectors.Series;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil evaluate nab --data &lt;nab folder&gt; [--detector lstm-dcnn|autoencoder|ensemble] [--out &lt;dir&gt;]</c>:
/// NAB's protocol, online, over every series under <c>data/</c>; NAB-format results, one PNG per series, a table per
/// category, and as the last line <c>NAB standard=x reward_low_FP_rate=y reward_low_FN_rate=z</c>.
/// </summary>
public static class EvaluateNabCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "NAB folder (data/, combined_windows.json, profiles.json).", Required = true };
        // The default is the detector that scores best on NAB (README table).
        var detector = new Option<string>("--detector") { Description = "lstm-dcnn, autoencoder or ensemble.", DefaultValueFactory = _ => DetectorKinds.Autoencoder };
        detector.AcceptOnlyFromAmong([.. NabEvaluationOptions.Detectors]);
        var output = new Option<string?>("--out") { Description = "Output folder (default results/nab-<detector>): <detector>/ NAB result files, plots/ PNGs." };
        var models = new Option<string>("--models") { Description = "Folder of bundles (models/<kind>).", DefaultValueFactory = _ => "models" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "cpu" };
        var noFineTune = new Option<bool>("--no-fine-tune") { Description = "Score with the generic model only (no learning in the probationary rows)." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Skip the PNG plots." };
        var select = new Option<bool>("--select")
        {
            Description = "First choose the stream-scoring settings (and the ensemble rule) without labels, by the NAB score on synthetic " +
                          "anomalies injected into each file's probationary rows; then evaluate with them. Writes <out>/selection.json.",
        };

        var record = new Option<bool>("--record")
        {
            Description = "With --select: write the chosen stream scoring, the selection's synthetic scores and the NAB scores into the bundles' manifests.",
        };
        var command = new Command("nab", "Run a detector over NAB online (probationary learning only) and score it with NAB's three profiles.")
        {
            data, detector, output, models, device, noFineTune, noPlots, select, record,
        };
        command.SetAction(parse =>
        {
            var kind = parse.GetValue(detector)!;
            var options = new NabEvaluationOptions
            {
                Detector = kind,
                ModelsPath = parse.GetValue(models)!,
                Device = parse.GetValue(device)!,
                FineTune = !parse.GetValue(noFineTune),
            };
            if (parse.GetValue(record) && !parse.GetValue(select)) throw new CliUserException("--record needs --select (it records what the selection chose).");
            return Run(parse.GetValue(data)!, parse.GetValue(output) ?? Path.Combine("results", $"nab-{kind}"), options, !parse.GetValue(noPlots),
                parse.GetValue(select), parse.GetValue(record));
        });
        return command;
    }

    private static int Run(string nabRoot, string outDir, NabEvaluationOptions options, bool plots, bool select, bool record)
    {
        var clock = Stopwatch.StartNew();
        NabScorer scorer;
        try
        {
            scorer = NabScorer.Load(nabRoot);
        }
        catch (NabDataException e)
        {
            throw new CliUserException(e.Message, e);
        }

        TorchThreads.Configure();
        NabSelection? selection = null;
        if (select) (options, selection) = NabSelectionReport.SelectAndReport(nabRoot, outDir, options);
        // Recalibrations are computed (and wrong training data refused) before the evaluation, written after it.
        var recalibrations = record && selection is not null
            ? NabSelectionReport.PrepareRecord(nabRoot, options, selection)
            : new Dictionary<string, SeriesCalibration.WindowCalibration>();
        NabEvaluation evaluation;
        try
        {
            evaluation = new NabEvaluation(options);
        }
        catch (BundleException e)
        {
            throw new CliUserException($"{e.Message} (train one with 'vigil train {options.Detector} ...' or pass --models).", e);
        }

        var runs = new List<NabSeriesRun>();
        using (evaluation)
        {
            var corpus = scorer.Corpus;
            Console.WriteLine($"{options.Detector}: {corpus.Series.Count} series, {corpus.RowCount:N0} rows, {corpus.WindowCount} windows; " +
                              $"bundles {string.Join(", ", evaluation.Manifests.Select(m => $"{m.Key} {m.Value.Version}"))}; " +
                              (options.FineTune ? "fine-tuned on each file's probationary rows" : "generic model only"));
            foreach (var series in corpus.Series)
            {
                NabSeriesRun run;
                try
                {
                    run = evaluation.Run(series);
                }
                catch (InvalidDataException e)
                {
                    throw new CliUserException(e.Message, e);
                }
                runs.Add(run);
                Console.WriteLine($"  {series.RelativePath,-60} {series.RowCount,6} rows  {run.Elapsed.TotalSeconds,6:F1} s");
            }
            if (options.FineTune && evaluation.NotAdapted.Count > 0)
                Console.WriteLine($"scored with the generic model (no probationary fine-tuning): {string.Join(", ", evaluation.NotAdapted)}");
        }

        var scores = runs.ToDictionary(r => r.Series.RelativePath, r => r.Scores);
        var report = scorer.Score(options.Detector, scores);
        var resultsDir = Path.Combine(outDir, options.Detector);
        NabResultsWriter.WriteScoredResults(resultsDir, scorer, report, scores);
        if (plots)
        {
            var threshold = report["standard"].Threshold;
            foreach (var run in runs)
                NabPlotWriter.Write(Path.Combine(outDir, "plots", run.Series.Category, Path.ChangeExtension(run.Series.Name, ".png")),
                    run.Series, run.Scores, threshold, options.Detector);
        }

        PrintCategoryTable(report);
        foreach (var profile in report.Profiles)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{profile.Profile.Name}: threshold {profile.Threshold:F4}, TP {profile.TP}, FP {profile.FP}, FN {profile.FN}, raw {profile.RawScore:F2}"));
        Console.WriteLine($"results: {Path.GetFullPath(resultsDir)}" + (plots ? $", plots: {Path.GetFullPath(Path.Combine(outDir, "plots"))}" : "") +
                          $"; {clock.Elapsed.TotalMinutes:F1} min");
        if (record && selection is not null)
            foreach (var path in NabSelectionReport.Record(options, selection, report, recalibrations))
                Console.WriteLine($"recorded in {path}");
        Console.WriteLine(report.SummaryLine());
        return 0;
    }

    /// <summary>Plain text (not a Spectre table) so the table stays whole in logs and narrow terminals.</summary>
    private static void PrintCategoryTable(NabScoreReport report)
    {
        var header = $"{"category",-24} {"files",5} {"windows",7}" + string.Concat(report.Profiles.Select(p => $" {p.Profile.Name,20}"));
        Console.WriteLine($"NAB by category ({report.Detector}, normalised; '-' = no windows)");
        Console.WriteLine(header);
        Console.WriteLine(new string('-', header.Length));
        foreach (var category in report.Profiles[0].Categories)
        {
            var line = $"{category.Category,-24} {category.Files,5} {category.Windows,7}";
            foreach (var profile in report.Profiles)
            {
                var c = profile.Categories.First(x => x.Category == category.Category);
                line += $" {(double.IsNaN(c.NormalisedScore) ? "-" : c.NormalisedScore.ToString("F1", CultureInfo.InvariantCulture)),20}";
            }
            Console.WriteLine(line);
        }
        var total = $"{"all",-24} {report.Profiles[0].Files.Count,5} {report.Profiles[0].Categories.Sum(c => c.Windows),7}" +
                    string.Concat(report.Profiles.Select(p => $" {p.NormalisedScore.ToString("F1", CultureInfo.InvariantCulture),20}"));
        Console.WriteLine(total);
    }
}
