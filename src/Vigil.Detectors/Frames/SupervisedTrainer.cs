using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Supervised head, used when the training data holds labelled anomalous tiles (the seed's setting): the same
/// backbone classifies normal (0) vs anomalous (1), with the classes weighted so the rare one counts as much.
/// Horizontal flips double the data, as the seed's augmentation suggests.
/// </summary>
public static class SupervisedTrainer
{
    public static FrameCnnNetwork Train(Tensor tiles, long[] labels, FrameCnnSettings settings, Device device, Action<FrameTrainingProgress>? progress = null)
    {
        TorchRuntime.EnsureInitialised();
        settings.Validate();
        var n = tiles.shape[0];
        if (labels.Length != n) throw new ArgumentException($"{n} tiles but {labels.Length} labels.");
        var anomalous = labels.Count(l => l == 1);
        if (anomalous == 0 || anomalous == n || labels.Any(l => l is not (0 or 1)))
            throw new ArgumentException("Supervised training needs labels 0 (normal) and 1 (anomalous), both present.");
        manual_seed(settings.Seed);
        var network = new FrameCnnNetwork(settings.Width, 2);
        network.to(device);
        using var data = tiles.to(device);
        using var y = tensor(labels, device: device);
        using var weights = tensor(new[] { (float)n / (2 * (n - anomalous)), (float)n / (2 * anomalous) }, device: device);
        var batch = (int)Math.Min(settings.BatchSize * 4, n);
        var steps = (int)Math.Max(1, n / batch);
        using var optimizer = new KeptScalarsAdam(network.parameters(), settings.LearningRate);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            network.train();
            using var order = randperm(n, device: device);
            var total = 0.0;
            var skipped = 0;
            var counted = 0;
            for (var s = 0; s < steps; s++)
            {
                using var noGc = NoGcRegion.Enter();
                using var scope = NewDisposeScope();
                var index = order[(s * batch)..((s + 1) * batch)];
                var x = data.index_select(0, index);
                var inputs = cat([x, x.flip(3)], 0);
                var targets = cat([y.index_select(0, index), y.index_select(0, index)], 0);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(network.forward(inputs), targets, weight: weights);
                if (!GuardedStep.Run(loss, network.parameters(), optimizer, double.PositiveInfinity))
                {
                    GuardedStep.CountSkipped(ref skipped, steps, epoch);
                    continue;
                }
                total += loss.item<float>();
                counted++;
            }
            progress?.Invoke(new FrameTrainingProgress(epoch, settings.Epochs, total / Math.Max(counted, 1), clock.Elapsed));
        }
        network.eval();
        return network;
    }
}
