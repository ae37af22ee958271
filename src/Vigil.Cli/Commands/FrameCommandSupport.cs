using System.CommandLine;
using System.Globalization;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Series;

namespace Vigil.Cli.Commands;

/// <summary>Options and error mapping the frame-cnn commands share.</summary>
internal static class FrameCommandSupport
{
    public static Option<string> Tiles() => new("--tiles") { Description = "Segmentation grid RxC for scoring frames (and for training from image folders).", DefaultValueFactory = _ => "4x4" };
    public static Option<double> Overlap() => new("--overlap") { Description = "Share of a tile its neighbour overlaps, [0, 0.9).", DefaultValueFactory = _ => 0 };
    public static Option<int> InputSize() => new("--input-size") { Description = "Scaling: network input side in pixels; every tile is resized to it.", DefaultValueFactory = _ => 28 };
    public static Option<int> Epochs(int value) => new("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => value };
    public static Option<int> Width(int value = 8) => new("--width") { Description = "Channels of the first conv stage (then ×2, ×4).", DefaultValueFactory = _ => value };

    /// <summary>
    /// The camera detector's design, chosen on validation mosaics from the training split (<c>evaluate frames --split
    /// validation</c>): width 16 trained 4 epochs with the pixel memory (validation frame AUROC 94.0 against 92.8 for
    /// the network's kNN or Mahalanobis features at the same width, and 88.4 at width 8 and 2 epochs).
    /// </summary>
    public const int FramesWidth = 16;
    public const int FramesEpochs = 4;
    public const string FramesFeatures = "px";
    public static Option<string> Transforms() => new("--transforms") { Description = "Geometric transformations the one-class network tells apart: rot, flip, shift (3×3) or cross (5 shifts), comma-separated.", DefaultValueFactory = _ => "rot,cross" };
    public static Option<string> Features() => new("--features") { DefaultValueFactory = _ => FramesFeatures, Description = "Feature-space signal added to the one-class tile score: hidden (Mahalanobis distance of the tile's embedding to normal tiles), " +
                      "knn (mean squared distance to the 2 nearest normal training embeddings; -ms adds conv-stage means, -tta every scoring transformation's embedding, " +
                      "-only drops the geometric surprise, -max combines by maximum), px (the same with the tile's 2x2-averaged pixels), sil (its silhouette) or none. evaluate frames takes a comma list: one training run, one bundle per kind." };
    public static Option<string> Device() => new("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "auto" };
    public static Option<int> Seed() => new("--seed") { Description = "Seed for initialisation and shuffling.", DefaultValueFactory = _ => 1 };
    public static Option<int?> Threads() => new("--threads") { Description = "Torch intra-op threads (default: half the cores; OMP_NUM_THREADS wins)." };

    public static FrameCnnSettings Settings(ParseResult parse, Option<string>? tiles, Option<double>? overlap, Option<int> inputSize,
        Option<int> epochs, Option<int> width, Option<string> transforms, Option<int> seed, int? normalClass, Option<string>? features = null)
    {
        try
        {
            // Commands without segmentation options (oneclass scores whole images) keep the default grid.
            var grid = tiles is null ? new FrameCnnSettings().Grid : TileGrid.Parse(parse.GetValue(tiles)!, overlap is null ? 0 : parse.GetValue(overlap));
            return new FrameCnnSettings
            {
                TileRows = grid.Rows,
                TileCols = grid.Cols,
                Overlap = grid.Overlap,
                InputSize = parse.GetValue(inputSize),
                Epochs = parse.GetValue(epochs),
                Width = parse.GetValue(width),
                Transforms = parse.GetValue(transforms)!,
                Features = features is null ? FrameCnnSettings.NoFeatures : parse.GetValue(features)!,
                Seed = parse.GetValue(seed),
                NormalClass = normalClass,
            }.Validate();
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new CliUserException(e.Message, e);
        }
    }

    /// <summary>Runs <paramref name="action"/>, turning data, frame, bundle and device errors into one-line user errors.</summary>
    public static T UserErrors<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                      or FrameFormatException or BundleException or ArgumentException)
        {
            throw new CliUserException(e.Message, e);
        }
    }

    /// <summary>
    /// A comma-separated list of class labels (0–255), each kept once in the order given; a bad label or an empty list
    /// is a user error naming <paramref name="option"/>.
    /// </summary>
    public static int[] ClassList(string text, string option)
    {
        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c > 255)
                throw new CliUserException($"{option}: '{part}' is not a class label (0-255).");
            if (!result.Contains(c)) result.Add(c);
        }
        return result.Count > 0 ? [.. result] : throw new CliUserException($"{option} names no class.");
    }

    /// <summary>Sets torch's intra-op threads; returns the count used (so reports can state it).</summary>
    public static int ConfigureThreadsAndReport(int? threads)
    {
        if (threads is < 1) throw new CliUserException($"--threads must be at least 1, not {threads}.");
        return TorchThreads.Configure(threads);
    }

    public static void PrintEpoch(FrameTrainingProgress p) =>
        Console.WriteLine($"  epoch {p.Epoch}/{p.Epochs}: loss {p.Loss:F4} ({p.Elapsed.TotalSeconds:F0} s)");

    /// <summary>
    /// The frame-cnn part of <c>vigil bench detectors</c> (the hook BenchCommand calls): loads the bundle, scores
    /// 112×112 frames at each batch size, prints frames/s, tiles/s, achieved GFLOP/s and its fraction of
    /// <paramref name="gemmGflops"/> (the machine's GEMM rate, measured by the caller in the same run; see
    /// <see cref="GemmRate.MeasureGflops"/>). Returns the rows for callers that tabulate themselves.
    /// </summary>
    public static IReadOnlyList<FrameCnnBench.Row> BenchFrameCnn(TextWriter output, string bundleDir, string device, double gemmGflops,
        IReadOnlyList<int>? batchSizes = null, double secondsPerBatchSize = 2)
    {
        using var detector = UserErrors(() => FrameCnnBundle.Load(bundleDir, device));
        var rows = FrameCnnBench.Run(detector, batchSizes ?? [1, 8, 32, 64], minSeconds: secondsPerBatchSize);
        output.WriteLine($"frame-cnn ({bundleDir}: tiles {detector.Grid}, input {detector.InputSize}, width {detector.Settings.Width}, " +
                         $"{FrameCnnBench.FlopsPerTile(detector.Settings) / 1e6:F2} MFLOP per tile; GEMM {gemmGflops:F1} GFLOP/s)");
        output.WriteLine($"{"batch",6} {"frames/s",10} {"tiles/s",10} {"GFLOP/s",9} {"of GEMM",8}");
        foreach (var r in rows)
            output.WriteLine($"{r.BatchSize,6} {r.FramesPerSecond,10:F1} {r.TilesPerSecond,10:F0} {r.Gflops,9:F2} {r.Gflops / gemmGflops,8:P1}");
        return rows;
    }
}
