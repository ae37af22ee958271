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
        Action<FrameTrainingProgress>? progress = null)
    {
        TorchRuntime.EnsureInitialised();
        settings = settings with
        {
            Objective = data.IsLabelled ? FrameCnnSettings.SupervisedObjective : FrameCnnSettings.GeometricObjective,
        };
        settings.Validate();
        var target = TorchRuntime.ResolveDevice(device);
        var size = settings.InputSize;
        var perTile = size * size;
        var count = data.Count;

        // Deterministic split: every k-th normal tile is held out for calibration.
        var normalIndices = Enumerable.Range(0, count).Where(i => data.Labels is null || data.Labels[i] == 0).ToArray();
        var holdOut = Math.Max(10, (int)(normalIndices.Length * CalibrationShare));
        if (normalIndices.Length < holdOut + 2)
            throw new ArgumentException($"Training needs at least {holdOut + 2} normal tiles; the data has {normalIndices.Length}.");
        var step = normalIndices.Length / holdOut;
        var calibrationSet = new HashSet<int>(Enumerable.Range(0, holdOut).Select(k => normalIndices[k * step]));
        var trainIndices = Enumerable.Range(0, count).Where(i => !calibrationSet.Contains(i)).ToArray();

        var clock = Stopwatch.StartNew();
        FrameCnnNetwork network;
        using var trainTiles = Gather(data.Tiles, trainIndices, size);
        network = data.Labels is null
            ? GeometricTrainer.Train(trainTiles, settings, target, progress)
            : SupervisedTrainer.Train(trainTiles, trainIndices.Select(i => data.Labels[i]).ToArray(), settings, target, progress);
        var trainingTime = clock.Elapsed;

        using var calibrationTiles = Gather(data.Tiles, calibrationSet.Order().ToArray(), size);
        if (settings.UsesDensity) FitDensity(network, settings, target, trainTiles, calibrationTiles);
        using var scorer = new TileScorer(network, settings, target);
        var calibrationRaw = new float[holdOut];
        scorer.RawScores(calibrationTiles, calibrationRaw);
        var calibration = ScoreCalibration.Fit(calibrationRaw, settings.Grid.Count);

        var evaluation = new Dictionary<string, double>
        {
            ["trainingTiles"] = trainIndices.Length,
            ["calibrationTiles"] = holdOut,
            ["trainingSeconds"] = Math.Round(trainingTime.TotalSeconds, 1),
            ["calibrationMedianRaw"] = ScoreCalibration.Quantile(calibrationRaw.Select(v => (double)v).Order().ToArray(), 0.5),
        };
        var manifest = FrameCnnBundle.Save(outDir, network, settings, calibration, data.Fingerprint(), evaluation);
        return new Outcome(manifest, calibration, settings, trainIndices.Length, holdOut, trainingTime);
    }

    /// <summary>
    /// The density is fitted to the training tiles' embeddings; the standardisation of both signals to the held-out
    /// normal tiles (the ones the calibration uses), so neither signal's scale comes from tiles the network fitted.
    /// </summary>
    private static void FitDensity(FrameCnnNetwork network, FrameCnnSettings settings, Device target, Tensor trainTiles, Tensor calibrationTiles)
    {
        using var scope = NewDisposeScope();
        var density = network.Density ?? throw new InvalidOperationException("features 'hidden' need a network with a density.");
        var signals = new TileScorer(network, settings with { Features = FrameCnnSettings.NoFeatures }, target);
        var (_, trainEmbeddings) = signals.Signals(trainTiles);
        using (trainEmbeddings) density.Fit(trainEmbeddings.to(target));
        var (surprise, embeddings) = signals.Signals(calibrationTiles);
        using (embeddings)
        using (no_grad())
        using (var distances = density.forward(embeddings.to(target)).to(CPU))
            density.FitStandardisation(surprise, distances.data<float>().ToArray());
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
