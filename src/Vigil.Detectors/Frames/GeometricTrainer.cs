using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>
/// One-class training on normal tiles only: the network learns to name which geometric transformation was
/// applied. Each step takes a batch of tiles and feeds all T transformed copies (T × batch inputs).
/// </summary>
public static class GeometricTrainer
{
    /// <param name="tiles">[N, 1, S, S] normal tiles in [0, 1] (any device; copied to <paramref name="device"/> once).</param>
    public static FrameCnnNetwork Train(Tensor tiles, FrameCnnSettings settings, Device device, Action<FrameTrainingProgress>? progress = null)
    {
        TorchRuntime.EnsureInitialised();
        settings.Validate();
        var transforms = settings.CreateTransforms();
        var t = transforms.Count;
        manual_seed(settings.Seed);
        var network = FrameCnnNetwork.For(settings);
        network.to(device);
        using var data = tiles.to(device);
        var n = data.shape[0];
        if (n < 2) throw new ArgumentException($"Training needs at least 2 normal tiles, got {n}.");
        var batch = (int)Math.Min(settings.BatchSize, n);
        var steps = (int)Math.Max(1, n / batch);
        using var optimizer = new KeptScalarsAdam(network.parameters(), settings.LearningRate);
        var scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, settings.Epochs * steps);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Each transform's index, once per tile of a batch; from an array, as arange(t) would pass t as a temporary Scalar.
        using var labels = tensor(Enumerable.Range(0, t).Select(i => (long)i).ToArray(), device: device).repeat_interleave(batch);

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
                var x = data.index_select(0, order[(s * batch)..((s + 1) * batch)]);
                var inputs = cat(transforms.Select(tr => tr.Apply(x)).ToArray(), 0);
                optimizer.zero_grad();
                var loss = nn.functional.cross_entropy(network.forward(inputs), labels);
                var stepped = GuardedStep.Run(loss, network.parameters(), optimizer, double.PositiveInfinity);
                scheduler.step();
                if (!stepped)
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
