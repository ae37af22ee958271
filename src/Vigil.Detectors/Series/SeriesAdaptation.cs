using Vigil.Detectors.Bundles;

namespace Vigil.Detectors.Series;

/// <summary>
/// Per-stream adaptation of a generic model: a copy fine-tuned for a few epochs, at a lower learning rate, on the
/// stream's own first readings, then used for that stream only; the generic weights are never changed. <c>vigil
/// evaluate nab</c> does this with each file's probationary rows. The silo's device grains do not: they score with the
/// shared model (one network per model grain, batched across devices) and adapt through their own normalisation and
/// threshold instead.
/// </summary>
public static class SeriesAdaptation
{
    /// <summary>Tries per stream: a training step can still fail now and then (a run of non-finite gradients, or a
    /// native error such as the "Unknown scalar type" seen before <see cref="Runtime.KeptScalarsAdam"/>), and such failures
    /// are rare and independent, so one of them should not cost the stream its adaptation.</summary>
    public const int Attempts = 2;

    public static SeriesTrainingOptions DefaultOptions { get; } = new()
    {
        Epochs = 4,
        LearningRate = 3e-4,
        Patience = 2,
        MaxItemsPerEpoch = 2_000,
        MaxValidationItems = 500,
    };

    /// <summary>A fine-tuned copy, or an unchanged copy when <paramref name="history"/> is too short to learn from or
    /// every attempt failed; the copy's manifest says on how many rows it adapted (<c>adaptedOnRows</c>, 0 = not
    /// adapted), the result why not.</summary>
    public static SeriesAdaptationResult FineTune(SeriesDetector generic, SeriesData history, SeriesTrainingOptions? options = null) =>
        FineTune(generic, history, options ?? DefaultOptions, (model, windows, o) => SeriesTrainer.Train(model, windows, o));

    /// <summary>The same, with the training step given (tests inject failures through it).</summary>
    internal static SeriesAdaptationResult FineTune(SeriesDetector generic, SeriesData history, SeriesTrainingOptions options,
        Func<SeriesModel, SeriesWindowSet, SeriesTrainingOptions, TrainingReport> train)
    {
        // At least a handful of training windows beyond the item length, else fine-tuning would only memorise noise.
        if (history.Rows < generic.InputLength + 20)
        {
            return Unadapted(generic, $"{history.Rows} rows are too few to learn from (needs {generic.InputLength + 20})");
        }

        var windows = new SeriesWindowSet([history], generic.InputLength, validationFraction: 0.2);
        if (windows.TrainCount == 0)
        {
            return Unadapted(generic, $"{history.Rows} rows give no training windows");
        }

        var failures = new List<string>();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var copy = generic.Model.Clone();
            try
            {
                train(copy, windows, options);
                var manifest = generic.Manifest with
                {
                    Evaluation = new(generic.Manifest.Evaluation) { ["adaptedOnRows"] = history.Rows },
                };
                return new SeriesAdaptationResult(new SeriesDetector(copy, manifest), attempt, failures);
            }
            catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or InvalidOperationException)
            {
                // A failed adaptation must not take the stream down: the half-trained copy is dropped, never scored with.
                copy.Dispose();
                failures.Add(e.Message);
            }
        }

        return Unadapted(generic, null, failures);
    }

    private static SeriesAdaptationResult Unadapted(SeriesDetector generic, string? reason, List<string>? failures = null)
    {
        var manifest = generic.Manifest with
        {
            Evaluation = new(generic.Manifest.Evaluation) { ["adaptedOnRows"] = 0 },
        };
        var all = failures ?? [];
        if (reason is not null) all.Add(reason);
        return new SeriesAdaptationResult(new SeriesDetector(generic.Model.Clone(), manifest), 0, all);
    }
}

/// <summary>What <see cref="SeriesAdaptation.FineTune(SeriesDetector, SeriesData, SeriesTrainingOptions?)"/> gave: the
/// detector to score the stream with (adapted, or a copy of the generic one), the attempt that adapted it (0 = none)
/// and why earlier or all attempts did not.</summary>
public sealed record SeriesAdaptationResult(SeriesDetector Detector, int AdaptedOnAttempt, IReadOnlyList<string> Failures) : IDisposable
{
    public bool Adapted => AdaptedOnAttempt > 0;

    public void Dispose() => Detector.Dispose();
}
