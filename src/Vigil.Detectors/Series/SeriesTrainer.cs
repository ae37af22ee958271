using Vigil.Detectors.Runtime;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.Detectors.Series;

/// <summary>
/// Unsupervised training (the data is assumed mostly normal; no labels): Adam on the model's own objective,
/// seeded shuffling, validation after every epoch, early stopping that restores the best weights.
/// </summary>
public static class SeriesTrainer
{
    public static TrainingReport Train(SeriesModel model, SeriesWindowSet data, SeriesTrainingOptions options,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        if (data.InputLength != model.InputLength || data.Channels != model.Channels)
            throw new ArgumentException($"windows of {data.InputLength}×{data.Channels} do not fit a model of {model.InputLength}×{model.Channels}.");
        if (data.TrainCount == 0) throw new InvalidDataException("no training windows (the series are too short for the window).");

        torch.manual_seed(options.Seed);
        var random = new Random(options.Seed);
        var clock = Stopwatch.StartNew();
        var buffer = new float[options.BatchSize * data.InputLength * data.Channels];
        using var optimizer = new KeptScalarsAdam(model.Network.parameters(), options.LearningRate);
        var validation = Sampling.EvenlySpaced(data.Validation, options.MaxValidationItems);
        var order = data.Train.ToArray();

        var best = double.PositiveInfinity;
        var bestEpoch = 0;
        var sinceBest = 0;
        var lastTrain = double.NaN;
        var epochsRun = 0;
        byte[]? bestWeights = null;
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellation.ThrowIfCancellationRequested();
            random.Shuffle(order);
            var count = Math.Min(order.Length, options.MaxItemsPerEpoch);
            var batches = (count + options.BatchSize - 1) / options.BatchSize;
            model.Network.train();
            double sum = 0;
            var skipped = 0;
            var counted = 0;
            for (var b = 0; b < batches; b++)
            {
                // No garbage collection inside a step: TorchSharp 0.107 intermittently failed here with "Unknown scalar
                // type" in Adam.step (and, rarely, NaN gradients), consistent with a temporary Scalar finalised while
                // native code still used it. A step allocates little, so a no-GC region costs nothing.
                using var noGc = NoGcRegion.Enter();
                using var scope = NewDisposeScope();
                var size = Math.Min(options.BatchSize, count - b * options.BatchSize);
                var items = data.Batch(order, b * options.BatchSize, size, buffer, model.Device);
                optimizer.zero_grad();
                var loss = model.Loss(items);
                if (!GuardedStep.Run(loss, model.Network.parameters(), optimizer, maxGradNorm: 1.0))
                {
                    GuardedStep.CountSkipped(ref skipped, batches, epoch);
                    continue;
                }
                sum += loss.item<float>() * size;
                counted += size;
                progress?.Report(new TrainingProgress(epoch, options.Epochs, b + 1, batches, sum / counted, null, best));
            }
            lastTrain = sum / Math.Max(counted, 1);
            epochsRun = epoch;

            var validationLoss = validation.Count > 0 ? MeanLoss(model, data, validation, buffer, options.BatchSize) : lastTrain;
            if (validationLoss < best - 1e-7)
            {
                best = validationLoss;
                bestEpoch = epoch;
                sinceBest = 0;
                // Module.save closes the stream it writes, so each snapshot gets its own.
                using var snapshot = new MemoryStream();
                model.Network.save(snapshot);
                bestWeights = snapshot.ToArray();
            }
            else sinceBest++;
            progress?.Report(new TrainingProgress(epoch, options.Epochs, batches, batches, lastTrain, validationLoss, best));
            if (sinceBest >= options.Patience) break;
        }

        if (bestWeights is not null)
        {
            using var restore = new MemoryStream(bestWeights);
            model.Network.load(restore, strict: true);
        }
        model.Network.eval();
        return new TrainingReport(epochsRun, bestEpoch, best, lastTrain, epochsRun < options.Epochs, clock.Elapsed);
    }

    /// <summary>Mean objective over the items, without gradients.</summary>
    public static double MeanLoss(SeriesModel model, SeriesWindowSet data, IReadOnlyList<(int, int)> items, float[] buffer, int batchSize)
    {
        model.Network.eval();
        using var noGrad = no_grad();
        double sum = 0;
        for (var offset = 0; offset < items.Count; offset += batchSize)
        {
            using var scope = NewDisposeScope();
            var size = Math.Min(batchSize, items.Count - offset);
            sum += model.Loss(data.Batch(items, offset, size, buffer, model.Device)).item<float>() * size;
        }
        return sum / items.Count;
    }

    /// <summary>Raw errors (as scoring computes them) for the items.</summary>
    public static float[] Errors(SeriesModel model, SeriesWindowSet data, IReadOnlyList<(int, int)> items, int batchSize = 256)
    {
        model.Network.eval();
        using var noGrad = no_grad();
        var buffer = new float[batchSize * data.InputLength * data.Channels];
        var errors = new float[items.Count];
        for (var offset = 0; offset < items.Count; offset += batchSize)
        {
            using var scope = NewDisposeScope();
            var size = Math.Min(batchSize, items.Count - offset);
            model.Errors(data.Batch(items, offset, size, buffer, model.Device)).cpu().data<float>().CopyTo(errors.AsSpan(offset, size), 0, 0);
        }
        return errors;
    }
}
