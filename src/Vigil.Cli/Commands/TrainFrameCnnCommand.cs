using System.CommandLine;
using Vigil.Detectors.Frames;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil train frame-cnn --data &lt;folder&gt; --out &lt;dir&gt; [--normal-class C] [--tiles RxC] [--input-size N] [--epochs N] [--device ...]</c>:
/// one-class (geometric-transformation) training on normal tiles, or the supervised head when the folder holds
/// <c>normal/</c> and <c>anomalous/</c> frames or <c>--anomalous-classes</c> names IDX classes; writes a verified bundle.
/// </summary>
public static class TrainFrameCnnCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "IDX folder (train-images-idx3-ubyte.gz + labels), a folder of PNG/JPEG normal frames, or one with normal/ and anomalous/ subfolders.", Required = true };
        var output = new Option<string>("--out") { Description = "Bundle folder to write (manifest.json + weights.bin).", Required = true };
        var normalClass = new Option<int>("--normal-class") { Description = "IDX class trained as normal.", DefaultValueFactory = _ => 0 };
        var anomalousClasses = new Option<string?>("--anomalous-classes")
        {
            Description = "IDX classes whose training images are labelled anomalous tiles, comma-separated: trains the supervised head instead of the one-class network.",
        };
        var maxTiles = new Option<int>("--max-tiles") { Description = "Use at most this many training tiles (normal, and as many anomalous).", DefaultValueFactory = _ => int.MaxValue };
        var (tiles, overlap, inputSize, epochs, width, transforms, device, seed, threads) = (FrameCommandSupport.Tiles(),
            FrameCommandSupport.Overlap(), FrameCommandSupport.InputSize(), FrameCommandSupport.Epochs(FrameCommandSupport.FramesEpochs), FrameCommandSupport.Width(FrameCommandSupport.FramesWidth),
            FrameCommandSupport.Transforms(), FrameCommandSupport.Device(), FrameCommandSupport.Seed(), FrameCommandSupport.Threads());
        var features = FrameCommandSupport.Features();

        var command = new Command("frame-cnn", "Camera detector: a conv + pooling network scoring each tile of a segmented, scaled frame; frame score = max tile score.")
        {
            data, output, normalClass, anomalousClasses, tiles, overlap, inputSize, epochs, width, transforms, features, maxTiles, device, seed, threads,
        };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(data)!;
            var outDir = parse.GetValue(output)!;
            var normal = parse.GetValue(normalClass);
            var settings = FrameCommandSupport.Settings(parse, tiles, overlap, inputSize, epochs, width, transforms, seed,
                IdxImages.Exists(folder, "train") ? normal : null, features);
            var limit = parse.GetValue(maxTiles);
            if (limit < 12) throw new CliUserException($"--max-tiles must be at least 12, not {limit}.");

            var anomalous = parse.GetValue(anomalousClasses) is { } listed ? FrameCommandSupport.ClassList(listed, "--anomalous-classes").ToHashSet() : null;
            var trainingData = FrameCommandSupport.UserErrors(() => FrameTrainingData.Load(folder, settings, normal, FrameLimits.Default, limit, anomalous));
            FrameCommandSupport.ConfigureThreadsAndReport(parse.GetValue(threads));
            Console.WriteLine($"frame-cnn: {trainingData.Description}; {trainingData.Count:N0} tiles of {settings.InputSize}x{settings.InputSize}, " +
                              (trainingData.IsLabelled ? "supervised head" : $"one-class, {settings.CreateTransforms().Count} transformations ({settings.Transforms}), features {settings.Features}"));
            var outcome = FrameCommandSupport.UserErrors(() =>
                FrameCnnTraining.TrainBundle(trainingData, settings, outDir, parse.GetValue(device)!, FrameCommandSupport.PrintEpoch));
            var m = outcome.Manifest;
            Console.WriteLine($"trained on {outcome.TrainingTiles:N0} tiles in {outcome.TrainingTime.TotalSeconds:F1} s; calibrated on {outcome.CalibrationTiles:N0} held-out normal tiles");
            Console.WriteLine($"threshold: raw {m.Threshold.RawValue:G5} -> score {m.Threshold.Score:F3} ({m.Threshold.Rule})");
            Console.WriteLine($"bundle: {Path.GetFullPath(outDir)} ({m.Kind} {m.Version}, tiles {settings.Grid}, input {settings.InputSize}, weights sha256 {m.WeightsSha256[..12]}...)");
            return 0;
        });
        return command;
    }
}
