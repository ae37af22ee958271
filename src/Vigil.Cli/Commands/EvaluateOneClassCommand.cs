using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vigil.Detectors.Frames;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil evaluate oneclass --data &lt;idx folder&gt; [--classes 0,1,...] [--epochs N]</c>: the standard one-class protocol
/// with the frame-cnn network; per-class AUROC table, last line <c>one-class mean AUROC=&lt;x&gt;</c> (percent, one decimal).
/// Defaults (width 8, 20 transformations, 3,000 training images per class, 1 epoch) are sized for the 30-minute
/// budget on a 2-core machine.
/// </summary>
public static class EvaluateOneClassCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "IDX folder with train-* and t10k-* images and labels.", Required = true };
        var classes = new Option<string?>("--classes") { Description = "Comma-separated classes to evaluate (default: every class in the test labels)." };
        var maxImages = new Option<int>("--max-train-images") { Description = "Training images per class (the first ones).", DefaultValueFactory = _ => 3000 };
        var (inputSize, epochs, width, transforms, device, seed, threads) = (FrameCommandSupport.InputSize(), FrameCommandSupport.Epochs(1),
            FrameCommandSupport.Width(), FrameCommandSupport.Transforms(), FrameCommandSupport.Device(), FrameCommandSupport.Seed(),
            FrameCommandSupport.Threads());

        var command = new Command("oneclass", "One-class protocol: train on one class, score the whole test set, AUROC of \"not that class\", per class and mean.")
        {
            data, classes, epochs, width, transforms, inputSize, maxImages, device, seed, threads,
        };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(data)!;
            var settings = FrameCommandSupport.Settings(parse, null, null, inputSize, epochs, width, transforms, seed, null);
            var limit = parse.GetValue(maxImages);
            if (limit < 2) throw new CliUserException($"--max-train-images must be at least 2, not {limit}.");
            var (train, test) = FrameCommandSupport.UserErrors(() => (IdxImages.Load(folder, "train"), IdxImages.Load(folder, "t10k")));
            var available = test.Labels.Distinct().Select(l => (int)l).Order().ToArray();
            var chosen = ParseClasses(parse.GetValue(classes), available);
            var threadCount = FrameCommandSupport.ConfigureThreadsAndReport(parse.GetValue(threads));

            Console.WriteLine($"one-class protocol on '{folder}': {train.Count:N0} training / {test.Count:N0} test images; " +
                              $"width {settings.Width}, {settings.CreateTransforms().Count} transformations ({settings.Transforms}), " +
                              $"{settings.Epochs} epoch(s), ≤ {limit:N0} training images per class, {threadCount} thread(s)");
            Console.WriteLine($"{"class",-5} {"name",-12} {"AUROC",7} {"train",8} {"score",8}");
            var evaluation = new OneClassEvaluation(train, test, settings, parse.GetValue(device)!);
            var clock = Stopwatch.StartNew();
            var aurocs = new List<double>();
            foreach (var c in chosen)
            {
                var r = FrameCommandSupport.UserErrors(() => evaluation.Run(c, limit));
                aurocs.Add(r.Auroc * 100);
                var name = c < OneClassEvaluation.FashionMnistNames.Length ? OneClassEvaluation.FashionMnistNames[c] : "";
                Console.WriteLine($"{c,-5} {name,-12} {r.Auroc * 100,7:F1} {r.TrainingTime.TotalSeconds,7:F0}s {r.ScoringTime.TotalSeconds,7:F0}s");
            }
            Console.WriteLine($"{chosen.Length} class(es) in {clock.Elapsed.TotalMinutes:F1} min wall time");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one-class mean AUROC={aurocs.Average():F1}"));
            return 0;
        });
        return command;
    }

    private static int[] ParseClasses(string? text, int[] available)
    {
        if (string.IsNullOrWhiteSpace(text)) return available;
        var chosen = FrameCommandSupport.ClassList(text, "--classes");
        if (chosen.FirstOrDefault(c => !available.Contains(c), -1) is var missing and >= 0)
            throw new CliUserException($"--classes: '{missing}' is not one of the test set's classes ({string.Join(",", available)}).");
        return chosen;
    }
}
