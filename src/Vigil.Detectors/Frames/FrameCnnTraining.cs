using TorchSharp;
using System.Diagnostics;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Training end to end: hold out normal tiles for calibration, train (one-class or supervised, chosen by the
/// data), calibrate the [0, 1] mapping on the held-out normal tiles, and write the bundle.
/// </summary>
public static class FrameCnnTraining
{
    public sealed record Outcome(BundleManifest Manifest, ScoreCalibration Calibration, FrameCnnSettings Settings, int TrainingTiles,
        int CalibrationTiles, TimeSpan TrainingTime);

    /// <summary>Share of normal tiles held out for calibration (at least 10 tiles).</summary>
    public const double CalibrationShare = 0.1;

    public static Outcome TrainBundle(FrameTrainingData data, FrameCnnSettings settings, string outDir, string device,
        Action<FrameTrainingProgress>? progress = null) =>
        TrainBundles(data, settings, [(settings.Features, outDir)], device, progress)[0];

    /// <summary>
    /// Trains the network once and writes one bundle per feature kind (<paramref name="variants"/>: features and
    /// bundle folder), each with its own density or memory, standardisation and calibration: what
    /// <c>vigil evaluate frames --features a,b,...</c> compares on the same network.
    /// </summary>
    /// <param name="trained">A network already trained on the same data with the same settings (from a bundle, see
    /// <see cref="FrameCnnBundle.LoadNetwork"/>): training is skipped and only the feature heads and calibration are
    /// fitted, so several heads can be compared on one long-trained network. The caller keeps ownership.</param>
    public static IReadOnlyList<Outcome> TrainBundles(FrameTrainingData data, FrameCnnSettings settings,
        IReadOnlyList<(string Features, string OutDir)> variants, string device, Action<FrameTrainingProgress>? progress = null,
        FrameCnnNetwork? trained = null)
    {
        if (variants.Count == 0) throw new ArgumentException("At least one bundle to write is needed.", nameof(variants));
        TorchRuntime.EnsureInitialised();
        settings = settings with
        {
            Objective = data.IsLabelled ? FrameCnnSettings.SupervisedObjective : FrameCnnSettings.GeometricObjective,
        };
        settings.Validate();
        foreach (var (features, _) in variants) _ = (settings with { Features = features }).Validate();
        var target = TorchRuntime.ResolveDevice(device);
        var size = settings.InputSize;
        var count = data.Count;

        // Deterministic split: every k-th normal tile is held out for calibration.
        var normalIndices = Enumerable.Range(0, count).Where(i => data.Labels is null || data.Labels[i] == 0).ToArray();
        var holdOut = Math.Max(10, (int)(normalIndices.Length * CalibrationShare));
        if (normalIndices.Length < holdOut + 2)
            throw new ArgumentException($"Training needs at least {holdOut + 2} normal tiles; the data has {normalIndices.Length}.");
        var step = normalIndices.Length / holdOut;
        var calibrationSet = new HashSet<int>(Enumerable.Range(0, holdOut).Select(k => normalIndices[k * step]));
        var trainIndices = Enumerable.Range(0, count).Where(i => !calibrationSet.Contains(i)).ToArray();
        // The memory keeps at most MemoryRows training tiles; the manifest records how many it holds.
        settings = settings with { MemoryRows = Math.Min(settings.MemoryRows, trainIndices.Length) };
        settings = settings with { Neighbours = Math.Min(settings.Neighbours, settings.MemoryRows) };

        var clock = Stopwatch.StartNew();
        using var trainTiles = Gather(data.Tiles, trainIndices, size);
        using var network = trained is not null ? null : data.Labels is null
            ? GeometricTrainer.Train(trainTiles, settings with { Features = FrameCnnSettings.NoFeatures }, target, progress)
            : SupervisedTrainer.Train(trainTiles, trainIndices.Select(i => data.Labels[i]).ToArray(), settings, target, progress);
        var trunk = trained ?? network!;
        var trainingTime = clock.Elapsed;
        using var calibrationTiles = Gather(data.Tiles, calibrationSet.Order().ToArray(), size);

        var outcomes = new List<Outcome>();
        foreach (var (features, outDir) in variants)
        {
            // The supervised head scores by its logits alone: a bundle must not claim a feature signal it lacks.
            var variant = settings with { Features = settings.Objective == FrameCnnSettings.SupervisedObjective ? FrameCnnSettings.NoFeatures : features };
            using var withHeads = WithHeads(trunk, variant, target);
            if (variant.UsesDensity) FitDensity(withHeads, variant, target, trainTiles, calibrationTiles);
            if (variant.UsesMemory) FitMemory(withHeads, variant, target, trainTiles, calibrationTiles);
            using var scorer = new TileScorer(withHeads, variant, target, ownsNetwork: false);
            var calibrationRaw = new float[holdOut];
            scorer.RawScores(calibrationTiles, calibrationRaw);
            var calibration = ScoreCalibration.Fit(calibrationRaw, variant.Grid.Count);

            var evaluation = new Dictionary<string, double>
            {
                ["trainingTiles"] = trainIndices.Length,
                ["calibrationTiles"] = holdOut,
                ["trainingSeconds"] = Math.Round(trainingTime.TotalSeconds, 1),
                ["calibrationMedianRaw"] = ScoreCalibration.Quantile(calibrationRaw.Select(v => (double)v).Order().ToArray(), 0.5),
            };
            var manifest = FrameCnnBundle.Save(outDir, withHeads, variant, calibration, data.Fingerprint(), evaluation);
            outcomes.Add(new Outcome(manifest, calibration, variant, trainIndices.Length, holdOut, trainingTime));
        }
        return outcomes;
    }

    /// <summary>A copy of the trained network with the density or memory <paramref name="settings"/> ask for (not yet fitted).</summary>
    private static FrameCnnNetwork WithHeads(FrameCnnNetwork trained, FrameCnnSettings settings, Device target)
    {
        var copy = FrameCnnNetwork.For(settings);
        using (no_grad())
        {
            var source = trained.state_dict();
            foreach (var (key, value) in copy.state_dict())
            {
                // Heads are fitted afresh: a network taken from a bundle may carry another kind's.
                if (key.StartsWith("density.", StringComparison.Ordinal) || key.StartsWith("memory.", StringComparison.Ordinal)) continue;
                if (!source.TryGetValue(key, out var trainedValue)) throw new InvalidOperationException($"the trained network lacks '{key}'");
                value.copy_(trainedValue);
            }
        }
        copy.to(target);
        copy.eval();
        return copy;
    }

    /// <summary>
    /// The density is fitted to the training tiles' embeddings; the standardisation of both signals to the held-out
    /// normal tiles (the ones the calibration uses), so neither signal's scale comes from tiles the network fitted.
    /// </summary>
    private static void FitDensity(FrameCnnNetwork network, FrameCnnSettings settings, Device target, Tensor trainTiles, Tensor calibrationTiles)
    {
        using var scope = NewDisposeScope();
        var density = network.Density ?? throw new InvalidOperationException("features 'hidden' need a network with a density.");
        using var signals = new TileScorer(network, settings with { Features = FrameCnnSettings.NoFeatures }, target, ownsNetwork: false);
        var (_, trainEmbeddings, _) = signals.Signals(trainTiles);
        using (trainEmbeddings) density.Fit(trainEmbeddings.to(target));
        var (surprise, embeddings, _) = signals.Signals(calibrationTiles);
        using (embeddings)
        using (no_grad())
        using (var distances = density.forward(embeddings.to(target)).to(CPU))
            density.FitStandardisation(surprise, distances.data<float>().ToArray());
    }

    /// <summary>
    /// The memory holds the training tiles' features (evenly spaced when there are more than it keeps); the
    /// standardisation comes from the held-out normal tiles, as for the density.
    /// </summary>
    private static void FitMemory(FrameCnnNetwork network, FrameCnnSettings settings, Device target, Tensor trainTiles, Tensor calibrationTiles)
    {
        using var scope = NewDisposeScope();
        var memory = network.Memory ?? throw new InvalidOperationException($"features '{settings.Features}' need a network with a memory.");
        using var signals = new TileScorer(network, settings, target, ownsNetwork: false);
        var (_, trainEmbeddings, trainFeatures) = signals.Signals(trainTiles);
        trainEmbeddings.Dispose();
        using (trainFeatures) memory.Fit(trainFeatures!.to(target));
        var (surprise, embeddings, features) = signals.Signals(calibrationTiles);
        embeddings.Dispose();
        using (features)
        using (no_grad())
        using (var distances = memory.forward(features!.to(target)).to(CPU))
            memory.FitStandardisation(surprise, distances.data<float>().ToArray());
    }

    private static Tensor Gather(float[] tiles, int[] indices, int size)
    {
        var perTile = size * size;
        var data = new float[indices.Length * perTile];
        for (var i = 0; i < indices.Length; i++)
            tiles.AsSpan(indices[i] * perTile, perTile).CopyTo(data.AsSpan(i * perTile));
        return TileSet.ToTensor(data, size);
    }
}
