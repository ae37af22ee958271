namespace Vigil.Detectors.Series;

/// <summary>How <see cref="SeriesTrainer"/> trains; the defaults are what <c>vigil train</c> uses.</summary>
public sealed record SeriesTrainingOptions
{
    public int Epochs { get; init; } = 30;
    public int BatchSize { get; init; } = 64;
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Epochs without a better validation loss before training stops (and the best weights are restored).</summary>
    public int Patience { get; init; } = 4;

    /// <summary>Items drawn (without replacement, seeded) per epoch, so an epoch costs the same on a big folder.</summary>
    public int MaxItemsPerEpoch { get; init; } = 20_000;

    /// <summary>Validation items used per epoch (a fixed, evenly spaced subset).</summary>
    public int MaxValidationItems { get; init; } = 5_000;

    public int Seed { get; init; } = 17;

    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"epochs must be at least 1, not {Epochs}.");
        if (BatchSize < 1) throw new ArgumentException($"batch size must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0)) throw new ArgumentException($"learning rate must be positive, not {LearningRate}.");
        if (Patience < 1) throw new ArgumentException($"patience must be at least 1, not {Patience}.");
    }
}

/// <summary>Where training is: reported after every batch (for a progress bar) and every epoch.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double TrainLoss, double? ValidationLoss, double BestValidationLoss);

/// <summary>What training did.</summary>
public sealed record TrainingReport(int EpochsRun, int BestEpoch, double BestValidationLoss, double FinalTrainLoss, bool StoppedEarly, TimeSpan Elapsed);
