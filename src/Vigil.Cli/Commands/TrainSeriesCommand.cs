using System.CommandLine;
using Spectre.Console;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Series;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil train lstm-dcnn|autoencoder --data &lt;csv|folder&gt; --out &lt;dir&gt; [--window N] [--epochs N] [--device ...]</c>.</summary>
public static class TrainSeriesCommand
{
    /// <summary>NAB's probationary part: the first 15 % of a file, at most 750 rows.</summary>
    public static int ProbationaryRows(int rows) => Math.Min((int)Math.Floor(0.15 * rows), 750);

    public static Command Create(string kind, string description)
    {
        var data = new Option<string>("--data") { Description = "A CSV file (timestamp,value[,value...]) or a folder of them (recursive).", Required = true };
        var output = new Option<string>("--out") { Description = "Bundle folder to write (manifest.json + weights.bin).", Required = true };
        var window = new Option<int>("--window") { Description = "Readings per window.", DefaultValueFactory = _ => 60 };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs; early stopping on the validation split may end sooner.", DefaultValueFactory = _ => 30 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "auto" };
        var horizon = new Option<int>("--horizon") { Description = "Readings forecast ahead (lstm-dcnn only).", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed for initialisation and shuffling.", DefaultValueFactory = _ => 17 };
        var architecture = new Option<string>("--architecture")
        {
            Description = "Autoencoder only: conv (Conv1d encoder/decoder, the default) or lstm (LSTM encoder/decoder).",
            DefaultValueFactory = _ => SeriesHyperparameters.ConvArchitecture,
        };
        architecture.AcceptOnlyFromAmong(SeriesHyperparameters.ConvArchitecture, SeriesHyperparameters.LstmArchitecture);
        // The shipped autoencoder has 64 filters: the label-free selection preferred it to 32 (synthetic NAB standard
        // 38.1 vs 35.9), and its forward pass uses the CPU better (README, "Throughput").
        var filters = new Option<int>("--filters")
        {
            Description = "Convolution filters (first autoencoder layer; each DCNN layer).",
            DefaultValueFactory = _ => kind == DetectorKinds.Autoencoder ? 64 : 32,
        };
        var hidden = new Option<int>("--hidden") { Description = "LSTM hidden units (lstm-dcnn; the LSTM autoencoder).", DefaultValueFactory = _ => 32 };
        var probationary = new Option<bool>("--probationary-only")
        {
            Description = "Train on each file's first 15 % (at most 750 rows) only: NAB's probationary part, so the model may then be evaluated on NAB without having seen scored rows.",
        };

        var command = new Command(kind, description) { data, output, window, epochs, device, horizon, seed, probationary, filters, hidden };
        if (kind == DetectorKinds.Autoencoder) command.Options.Add(architecture);
        command.SetAction((parse, cancellation) =>
        {
            var hp = new SeriesHyperparameters
            {
                Window = parse.GetValue(window),
                Horizon = kind == DetectorKinds.Autoencoder ? 0 : parse.GetValue(horizon),
                // The autoencoder's raw error covers the newest quarter of the window: a new anomaly is 1 reading of 15
                // rather than of 60. The label-free selection (vigil evaluate nab --select) compares it with the whole
                // window on synthetic anomalies and keeps the quarter (README, "NAB").
                ScoredSteps = kind == DetectorKinds.Autoencoder ? Math.Max(1, parse.GetValue(window) / 4) : 0,
                Architecture = kind == DetectorKinds.Autoencoder ? parse.GetValue(architecture)! : SeriesHyperparameters.ConvArchitecture,
                ConvFilters = parse.GetValue(filters),
                LstmHidden = parse.GetValue(hidden),
            };
            var options = new SeriesTrainingOptions { Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) };
            try
            {
                hp.Validate(kind);
                options.Validate();
            }
            catch (ArgumentException e)
            {
                throw new CliUserException(e.Message, e);
            }
            return Task.FromResult(Run(kind, parse.GetValue(data)!, parse.GetValue(output)!, hp, options,
                parse.GetValue(device)!, parse.GetValue(probationary), cancellation));
        });
        return command;
    }

    private static int Run(string kind, string dataPath, string outDir, SeriesHyperparameters hp, SeriesTrainingOptions options,
        string device, bool probationaryOnly, CancellationToken cancellation)
    {
        IReadOnlyList<SeriesData> series;
        try
        {
            series = SeriesCsv.ReadAll(dataPath);
            if (probationaryOnly) series = series.Select(s => s.Head(ProbationaryRows(s.Rows))).ToList();
            // Checked here so the user hears which file is too short before any training starts.
            _ = new SeriesWindowSet(series, hp.Window + hp.Horizon);
        }
        catch (InvalidDataException e)
        {
            throw new CliUserException(e.Message, e);
        }

        TorchThreads.Configure();
        var rows = series.Sum(s => s.Rows);
        AnsiConsole.MarkupLine($"[bold]{kind}[/]: {series.Count} series, {rows:N0} rows, {series[0].Channels} channel(s), window {hp.Window}" +
                               (hp.Horizon > 0 ? $", horizon {hp.Horizon}" : "") + (probationaryOnly ? " (probationary parts only)" : ""));
        SeriesTraining.Outcome outcome;
        try
        {
            outcome = AnsiConsole.Profile.Capabilities.Interactive
                ? TrainWithProgressBar(kind, series, hp, options, outDir, device, cancellation)
                : SeriesTraining.TrainBundle(kind, series, hp, options, outDir, device,
                    new SynchronousProgress<TrainingProgress>(PrintEpoch), cancellation);
        }
        catch (ArgumentException e) when (e.Message.Contains("Device", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliUserException(e.Message, e);
        }

        var m = outcome.Manifest;
        Console.WriteLine($"stopped after {outcome.Report.EpochsRun} epochs (best {outcome.Report.BestEpoch}, validation loss {outcome.Report.BestValidationLoss:F5}) " +
                          $"in {outcome.Report.Elapsed.TotalSeconds:F1} s; {outcome.TrainWindows:N0} training / {outcome.ValidationWindows:N0} validation windows");
        Console.WriteLine($"threshold: raw {m.Threshold.RawValue:G5} -> score {m.Threshold.Score:F3} ({m.Threshold.Rule})");
        Console.WriteLine($"bundle: {Path.GetFullPath(outDir)} ({m.Kind} {m.Version}, weights sha256 {m.WeightsSha256[..12]}...)");
        return 0;
    }

    private static SeriesTraining.Outcome TrainWithProgressBar(string kind, IReadOnlyList<SeriesData> series, SeriesHyperparameters hp,
        SeriesTrainingOptions options, string outDir, string device, CancellationToken cancellation) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var bar = ctx.AddTask($"epoch 1/{options.Epochs}", maxValue: options.Epochs);
                var reporter = new SynchronousProgress<TrainingProgress>(p =>
                {
                    bar.Value = p.Epoch - 1 + (double)p.Batch / p.Batches;
                    if (p.ValidationLoss is null) return;
                    bar.Description = $"epoch {Math.Min(p.Epoch + 1, p.Epochs)}/{p.Epochs}";
                    PrintEpoch(p);
                });
                var result = SeriesTraining.TrainBundle(kind, series, hp, options, outDir, device, reporter, cancellation);
                bar.Value = bar.MaxValue;
                return result;
            });

    /// <summary>One line per finished epoch (the only output when the console is not interactive).</summary>
    private static void PrintEpoch(TrainingProgress p)
    {
        if (p.ValidationLoss is not { } validation) return;
        AnsiConsole.MarkupLine($"epoch {p.Epoch,3}/{p.Epochs}: train loss {p.TrainLoss:F5}  validation loss {validation:F5}" +
                               (validation <= p.BestValidationLoss ? "  [green]best[/]" : ""));
    }

    /// <summary>Reports on the training thread itself (System.Progress would post to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
