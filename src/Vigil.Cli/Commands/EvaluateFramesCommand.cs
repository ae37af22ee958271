using System.CommandLine;
using System.Globalization;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil evaluate frames --data &lt;idx folder&gt;</c>: mosaic camera frames from the test images (grid of the
/// normal class; anomalous frames with foreign or corrupted cells), frame-level AUROC, localisation (top tile is
/// the anomalous one), a few PNGs with heat maps; last line <c>frames AUROC=&lt;x&gt; localisation=&lt;y&gt;</c> (percent).
/// Uses <c>--bundle</c> when given, else trains one on the normal class's training images first.
/// </summary>
public static class EvaluateFramesCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "IDX folder with train-* and t10k-* images and labels.", Required = true };
        var bundle = new Option<string?>("--bundle") { Description = "Evaluate this frame-cnn bundle instead of training one." };
        var normalClass = new Option<int>("--normal-class") { Description = "Class the normal cells come from (and the trained bundle's normal class).", DefaultValueFactory = _ => 0 };
        var frames = new Option<int>("--frames") { Description = "Normal frames, and as many anomalous ones.", DefaultValueFactory = _ => 500 };
        var anomalies = new Option<string>("--anomalies") { Description = "Anomaly kinds, cycled over the anomalous frames: foreign, upside-down, occluded, noisy.", DefaultValueFactory = _ => "foreign,upside-down,occluded,noisy" };
        var cells = new Option<int>("--anomalous-tiles") { Description = "Anomalous cells per anomalous frame.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder for the heat-map PNGs (and the trained bundle).", DefaultValueFactory = _ => "frames-eval" };
        // Same training as the shipped models/frame-cnn bundle (all 6,000 images, width 16, 4 epochs, features px; see
        // FrameCommandSupport.FramesFeatures for how it was chosen). Width 8, 2 epochs, features hidden measured 88.3 / 85.2.
        var split = new Option<string>("--split")
        {
            Description = "test: mosaics from the t10k images (the protocol); validation: mosaics from training images held out of " +
                          "training (--validation-images of the normal class, foreign cells from the other classes' training images), for choosing designs without test labels.",
            DefaultValueFactory = _ => "test",
        };
        var validationImages = new Option<int>("--validation-images") { Description = "Normal-class training images held out for validation mosaics (--split validation).", DefaultValueFactory = _ => 600 };
        var scoring = new Option<string>("--scoring")
        {
            Description = "Transformations the geometric surprise averages over when scoring: rotations (4), upright-inverted (2) or all.",
            DefaultValueFactory = _ => "rotations",
        };
        var networkFrom = new Option<string?>("--network-from")
        {
            Description = "Skip training: take the trained network of this bundle (trained on the same images with the same --split) and fit only the --features heads.",
        };
        var maxImages = new Option<int>("--max-train-images") { Description = "Training images of the normal class when training a bundle.", DefaultValueFactory = _ => int.MaxValue };
        var seed = FrameCommandSupport.Seed();
        var (tiles, overlap, inputSize, epochs, width, transforms, device, threads) = (FrameCommandSupport.Tiles(), FrameCommandSupport.Overlap(),
            FrameCommandSupport.InputSize(), FrameCommandSupport.Epochs(FrameCommandSupport.FramesEpochs), FrameCommandSupport.Width(FrameCommandSupport.FramesWidth), FrameCommandSupport.Transforms(),
            FrameCommandSupport.Device(), FrameCommandSupport.Threads());
        var features = FrameCommandSupport.Features();

        var command = new Command("frames", "Frame-level evaluation on mosaic camera frames: AUROC, localisation and heat-map PNGs.")
        {
            data, bundle, normalClass, frames, anomalies, cells, output, tiles, overlap, inputSize, epochs, width, transforms, features, maxImages, device, seed, threads,
            split, validationImages, networkFrom, scoring,
        };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(data)!;
            var outDir = parse.GetValue(output)!;
            var normal = parse.GetValue(normalClass);
            var count = parse.GetValue(frames);
            if (count < 2) throw new CliUserException($"--frames must be at least 2, not {count}.");
            var kinds = ParseKinds(parse.GetValue(anomalies)!);
            var splitName = parse.GetValue(split)!;
            if (splitName is not ("test" or "validation")) throw new CliUserException($"--split must be test or validation, not '{splitName}'.");
            var validation = splitName == "validation";
            var images = FrameCommandSupport.UserErrors(() => IdxImages.Load(folder, validation ? "train" : "t10k"));
            if (!images.Labels.Contains((byte)normal))
                throw new CliUserException($"'{folder}': the {(validation ? "training" : "test")} split has no images of class {normal}.");
            var trainLimit = parse.GetValue(maxImages);
            IReadOnlyList<int>? heldOut = null;
            if (validation)
            {
                // The last images of the normal class are never trained on; the mosaics' normal cells come from them.
                var ofClass = images.IndicesOf(new HashSet<int> { normal });
                var held = parse.GetValue(validationImages);
                if (held < 1 || held > ofClass.Length - 20)
                    throw new CliUserException($"--validation-images must be 1..{ofClass.Length - 20} (class {normal} has {ofClass.Length} training images), not {held}.");
                heldOut = ofClass[^held..];
                trainLimit = Math.Min(trainLimit, ofClass.Length - held);
                if (parse.GetValue(bundle) is not null)
                    Console.WriteLine($"note: --bundle with --split validation is only fair for a bundle trained by --split validation with the same --validation-images ({held}).");
            }
            var threadCount = FrameCommandSupport.ConfigureThreadsAndReport(parse.GetValue(threads));
            var featureKinds = parse.GetValue(features)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray();
            if (featureKinds.Length == 0) throw new CliUserException("--features names no kind.");

            var bundleDirs = new List<string>();
            if (parse.GetValue(bundle) is { } given) bundleDirs.Add(given);
            else
            {
                var settings = FrameCommandSupport.Settings(parse, tiles, overlap, inputSize, epochs, width, transforms, seed, normal, features: null)
                    with { Features = featureKinds[0], Scoring = parse.GetValue(scoring)! };
                var variants = featureKinds.Select(f => (f, Path.Combine(outDir, featureKinds.Length == 1 ? "bundle" : $"bundle-{f}"))).ToArray();
                try { foreach (var f in featureKinds) (settings with { Features = f }).Validate(); }
                catch (ArgumentException e) { throw new CliUserException(e.Message, e); }
                var trainingData = FrameCommandSupport.UserErrors(() =>
                    FrameTrainingData.Load(folder, settings, normal, FrameLimits.Default, trainLimit));
                Console.WriteLine($"training a frame-cnn network on {trainingData.Description} ({threadCount} thread(s)) into " +
                                  string.Join(", ", variants.Select(v => $"'{v.Item2}'")));
                FrameCnnNetwork? trained = null;
                if (parse.GetValue(networkFrom) is { } source)
                {
                    var (network, trainedSettings) = FrameCommandSupport.UserErrors(() => FrameCnnBundle.LoadNetwork(source));
                    trained = network;
                    settings = settings with { Width = trainedSettings.Width, Epochs = trainedSettings.Epochs, Transforms = trainedSettings.Transforms };
                    Console.WriteLine($"network from '{source}' (width {trainedSettings.Width}, {trainedSettings.Epochs} epochs): no training");
                }
                var outcomes = FrameCommandSupport.UserErrors(() =>
                    FrameCnnTraining.TrainBundles(trainingData, settings, variants, parse.GetValue(device)!, FrameCommandSupport.PrintEpoch, trained));
                trained?.Dispose();
                Console.WriteLine($"trained in {outcomes[0].TrainingTime.TotalSeconds:F0} s");
                bundleDirs.AddRange(variants.Select(v => v.Item2));
            }

            var results = bundleDirs.Select(dir => (Bundle: dir,
                Result: EvaluateBundle(parse, dir, images, heldOut, normal, count, kinds, cells, seed, device, outDir, validation))).ToArray();
            if (results.Length > 1)
            {
                Console.WriteLine($"{"bundle",-40} {"AUROC",7} {"localisation",13}");
                foreach (var (dir, result) in results)
                    Console.WriteLine($"{dir,-40} {result.Auroc * 100,7:F1} {result.Localisation * 100,12:F1}%");
            }
            // The last line reports the first bundle (the only one unless --features lists several).
            var r = results[0].Result;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(validation ? "validation " : "")}frames AUROC={r.Auroc * 100:F1} localisation={r.Localisation * 100:F1}"));
            return 0;
        });
        return command;
    }

    private static FrameEvaluation.Result EvaluateBundle(ParseResult parse, string bundleDir, IdxImages images, IReadOnlyList<int>? heldOut,
        int normal, int count, MosaicAnomaly[] kinds, Option<int> cells, Option<int> seed, Option<string> device, string outDir, bool validation)
    {
        {
            using var detector = FrameCommandSupport.UserErrors(() => FrameCnnBundle.Load(bundleDir, parse.GetValue(device)!));
            var grid = detector.Grid;
            var mosaics = new MosaicFrames(images, normal, grid.Rows, grid.Cols, heldOut);
            var design = detector.Settings.Objective == FrameCnnSettings.SupervisedObjective ? "supervised head" : $"features {detector.Settings.Features}";
            Console.WriteLine($"bundle '{bundleDir}' ({design}){(validation ? ", validation mosaics from training images" : "")}:");
            Console.WriteLine($"{count} normal + {count} anomalous {mosaics.Width}x{mosaics.Height} frames ({grid} mosaics of class {normal}, " +
                              $"{parse.GetValue(cells)} anomalous tile(s): {string.Join(", ", kinds)}); bundle tiles {grid}, input {detector.InputSize}");
            var result = FrameCommandSupport.UserErrors(() =>
                new FrameEvaluation(detector, mosaics).Run(count, kinds, parse.GetValue(cells), parse.GetValue(seed)));

            Console.WriteLine($"{"anomaly",-12} {"frames",6} {"AUROC",7} {"localisation",13}");
            foreach (var k in result.ByKind)
                Console.WriteLine($"{Name(k.Kind),-12} {k.Frames,6} {k.Auroc * 100,7:F1} {k.Localisation * 100,12:F1}%");
            var seconds = result.ScoringTime.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"all",-12} {2 * count,6} {result.Auroc * 100,7:F1} {result.Localisation * 100,12:F1}%"));
            if (result.ByForeignClass.Count > 0)
            {
                Console.WriteLine($"{"foreign class",-14} {"frames",6} {"AUROC",7} {"localisation",13} {"tile AUROC",11}");
                foreach (var c in result.ByForeignClass)
                    Console.WriteLine($"{ClassName(images, c.Class),-14} {c.Frames,6} {c.Auroc * 100,7:F1} {c.Localisation * 100,12:F1}% {c.TileAuroc * 100,11:F1}");
            }
            Console.WriteLine($"scored {2 * count} frames ({2 * count * grid.Count} tiles) in {seconds:F1} s: {2 * count / seconds:F1} frames/s");

            if (validation) return result;
            Directory.CreateDirectory(outDir);
            var written = new List<string>();
            for (var i = 0; i < result.Examples.Count; i++)
            {
                var (mosaic, score) = result.Examples[i];
                var truth = grid.Layout(mosaic.Frame.Width, mosaic.Frame.Height).Select(mosaic.CentreIsAnomalous).ToArray();
                var name = $"frame-{i:00}-{(mosaic.Anomaly is { } a ? Name(a) : "normal")}-score{score.Score:0.00}.png";
                var path = Path.Combine(outDir, name);
                HeatMapImage.WritePng(path, mosaic.Frame, grid, score, truth: truth);
                written.Add(path);
            }
            Console.WriteLine($"heat maps: {string.Join(", ", written)}");
            return result;
        }
    }

    /// <summary>Fashion-MNIST's names for 28×28 images with labels 0–9 (the data set the README uses), else the label.</summary>
    private static string ClassName(IdxImages images, int label) =>
        images is { Rows: 28, Cols: 28 } && label is >= 0 and < 10 ? $"{label} {OneClassEvaluation.FashionMnistNames[label]}" : label.ToString(CultureInfo.InvariantCulture);

    private static string Name(MosaicAnomaly kind) => kind switch
    {
        MosaicAnomaly.Foreign => "foreign",
        MosaicAnomaly.UpsideDown => "upside-down",
        MosaicAnomaly.Occluded => "occluded",
        MosaicAnomaly.Noisy => "noisy",
        _ => kind.ToString(),
    };

    private static MosaicAnomaly[] ParseKinds(string text)
    {
        var kinds = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(k => k.ToLowerInvariant() switch
        {
            "foreign" => MosaicAnomaly.Foreign,
            "upside-down" => MosaicAnomaly.UpsideDown,
            "occluded" => MosaicAnomaly.Occluded,
            "noisy" => MosaicAnomaly.Noisy,
            _ => throw new CliUserException($"--anomalies: '{k}' is not one of foreign, upside-down, occluded, noisy."),
        }).ToArray();
        return kinds.Length > 0 ? kinds : throw new CliUserException("--anomalies names no kind.");
    }
}
