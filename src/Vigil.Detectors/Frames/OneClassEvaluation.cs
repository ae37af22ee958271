using System.Diagnostics;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Frames;

/// <summary>
/// The standard one-class protocol on an IDX data set: train on one class's training images only, score every
/// test image, AUROC of "not that class" against the raw score.
/// </summary>
public sealed class OneClassEvaluation(IdxImages train, IdxImages test, FrameCnnSettings settings, string device)
{
    private float[]? _testTiles;

    public static readonly string[] FashionMnistNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public sealed record ClassResult(int Class, double Auroc, int TrainingImages, TimeSpan TrainingTime, TimeSpan ScoringTime);

    public ClassResult Run(int normalClass, int maxTrainingImages, Action<FrameTrainingProgress>? progress = null)
    {
        TorchRuntime.EnsureInitialised();
        var target = TorchRuntime.ResolveDevice(device);
        var size = settings.InputSize;
        var indices = train.IndicesOf(new HashSet<int> { normalClass }).Take(maxTrainingImages).ToArray();
        if (indices.Length < 2) throw new ArgumentException($"The training split has {indices.Length} images of class {normalClass}.");
        if (!test.Labels.Contains((byte)normalClass) || test.Labels.All(l => l == normalClass))
            throw new ArgumentException($"The test split needs images of class {normalClass} and of other classes.");

        var clock = Stopwatch.StartNew();
        using var trainTiles = TileSet.ToTensor(TileSet.FromIdx(train, indices, size), size);
        var network = GeometricTrainer.Train(trainTiles, settings with { NormalClass = normalClass }, target, progress);
        var trainingTime = clock.Elapsed;

        clock.Restart();
        _testTiles ??= TileSet.FromIdx(test, Enumerable.Range(0, test.Count).ToArray(), size);
        using var scorer = new TileScorer(network, settings, target);
        var raw = new float[test.Count];
        scorer.RawScores(_testTiles, test.Count, raw);
        var auroc = Auroc.Compute(raw, test.Labels.Select(l => l != normalClass).ToArray());
        return new ClassResult(normalClass, auroc, indices.Length, trainingTime, clock.Elapsed);
    }
}
