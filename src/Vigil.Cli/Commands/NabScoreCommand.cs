using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Detectors.Evaluation.Nab;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil nab score --data &lt;nab folder&gt; --results &lt;results folder of one detector&gt;</c>: scores a detector's NAB
/// result files with Vigil's NAB scorer (three profiles, corpus-wide threshold, normalisation) and prints a table per
/// profile and per category, then, last, <c>NAB standard=x reward_low_FP_rate=y reward_low_FN_rate=z</c>.
/// </summary>
public static class NabScoreCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "NAB folder: data/<category>/<name>.csv, combined_windows.json, profiles.json.",
            Required = true,
        };
        var results = new Option<DirectoryInfo>("--results")
        {
            Description = "One detector's results folder: <category>/<detector>_<name>.csv with an anomaly_score column.",
            Required = true,
        };
        var detector = new Option<string?>("--detector") { Description = "Detector name in the file names (default: the results folder's name)." };
        var summaryOut = new Option<DirectoryInfo?>("--summary-out")
        {
            Description = "Also write NAB's <detector>_<profile>_scores.csv files (per-file rows and Totals) to this folder.",
        };

        var command = new Command("score", "Score one detector's NAB result files (NAB's three profiles, normalised).")
        {
            data, results, detector, summaryOut,
        };
        command.SetAction(parse =>
        {
            var nabRoot = parse.GetValue(data)!.FullName;
            var resultsDir = parse.GetValue(results)!.FullName;
            NabScoreReport report;
            NabCorpus corpus;
            try
            {
                var scorer = NabScorer.Load(nabRoot);
                corpus = scorer.Corpus;
                var contents = NabResultsFolder.Read(corpus, resultsDir, parse.GetValue(detector));
                report = scorer.Score(contents.Detector, contents.Scores) with { IgnoredResultFiles = contents.IgnoredFiles };
            }
            catch (NabDataException e)
            {
                throw new CliUserException(e.Message, e);
            }

            if (parse.GetValue(summaryOut) is { } outDir)
                foreach (var profile in report.Profiles)
                    NabResultsWriter.WriteSummary(outDir.FullName, report.Detector, profile);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{report.Detector} on {corpus.Series.Count} NAB series ({corpus.RowCount:N0} rows, {corpus.WindowCount} windows) from {nabRoot}"));
            PrintReport(report);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The report as tables (per profile, then per category), any result files that were not scored, and the summary
    /// line last. Shared with <c>vigil evaluate nab</c> so both print the same.
    /// </summary>
    public static void PrintReport(NabScoreReport report)
    {
        // Redirected output (CI logs, files) gets Spectre's 80 columns, which would wrap the tables; give it room.
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
            console.Profile.Width = 132;
        }

        var profiles = new Table().Title("NAB profiles (corpus-wide threshold)")
            .AddColumns("Profile", "Threshold", "Raw", "Null", "Perfect", "TP", "FP", "FN", "Normalised");
        foreach (var p in report.Profiles)
            profiles.AddRow(Markup.Escape(p.Profile.Name), Number(p.Threshold, "R"), Number(p.RawScore, "F2"), Number(p.NullScore, "F2"),
                Number(p.PerfectScore, "F2"), Count(p.TP), Count(p.FP), Count(p.FN), $"[bold]{Number(p.NormalisedScore, "F1")}[/]");
        console.Write(profiles);

        var categories = new Table().Title("Normalised score per category (raw score where a category has no window)")
            .AddColumn("Category").AddColumn("Files").AddColumn("Windows");
        foreach (var p in report.Profiles)
            categories.AddColumn(Markup.Escape(p.Profile.Name));
        var names = report.Profiles[0].Categories.Select(c => c.Category).ToArray();
        foreach (var name in names)
        {
            var first = report.Profiles[0].Categories.Single(c => c.Category == name);
            var cells = new List<string> { Markup.Escape(name), Count(first.Files), Count(first.Windows) };
            foreach (var p in report.Profiles)
            {
                var c = p.Categories.Single(x => x.Category == name);
                cells.Add(double.IsNaN(c.NormalisedScore) ? $"raw {Number(c.RawScore, "F2")}" : Number(c.NormalisedScore, "F1"));
            }

            categories.AddRow(cells.ToArray());
        }

        console.Write(categories);

        if (report.IgnoredResultFiles.Count > 0)
            console.MarkupLine($"[yellow]{report.IgnoredResultFiles.Count} result file(s) for series not in the corpus were not scored:[/] " +
                                   Markup.Escape(string.Join(", ", report.IgnoredResultFiles.Take(5))) +
                                   (report.IgnoredResultFiles.Count > 5 ? ", ..." : ""));

        Console.Out.Flush();
        Console.WriteLine(report.SummaryLine());
    }

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
