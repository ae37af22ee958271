using Vigil.Detectors.Bundles;

namespace Vigil.Detectors.Series;

/// <summary>
/// Per-stream adaptation of a generic model: a copy fine-tuned for a few epochs, at a lower learning rate, on the
/// stream's own first readings. This is what a device grain does once it has accumulated its first history
/// (and what <c>vigil evaluate nab</c> does with each file's probationary rows): it keeps scoring with the generic
/// model meanwhile, and the adapted copy replaces it for that stream only. The generic weights are never changed.
/// </summary>
public static class SeriesAdaptation
{
    public static SeriesTrainingOptions DefaultOptions { get; } = new()
    {
        Epochs = 4,
        LearningRate = 3e-4,
        Patience = 2,
        MaxItemsPerEpoch = 2_000,
        MaxValidationItems = 500,
    };

    /// <summary>A fine-tuned copy, or an unchanged copy when <paramref name="history"/> is too short to learn from or
    /// training failed; the copy's manifest says on how many rows it adapted (<c>adaptedOnRows</c>, 0 = not adapted).</summary>
    public static SeriesDetector FineTune(SeriesDetector generic, SeriesData history, SeriesTrainingOptions? options = null)
    {
        var copy = generic.Model.Clone();
        var adaptedOn = 0;
        // At least a handful of training windows beyond the item length, else fine-tuning would only memorise noise.
        if (history.Rows >= copy.InputLength + 20)
        {
            var windows = new SeriesWindowSet([history], copy.InputLength, validationFraction: 0.2);
            try
            {
                if (windows.TrainCount > 0) SeriesTrainer.Train(copy, windows, options ?? DefaultOptions);
                adaptedOn = history.Rows;
            }
            catch (Exception e) when (e is System.Runtime.InteropServices.ExternalException or InvalidOperationException)
            {
                // A failed adaptation must not take the stream down: it keeps the generic weights, and says so.
                copy.Dispose();
                copy = generic.Model.Clone();
            }
        }
        var manifest = generic.Manifest with
        {
            Evaluation = new(generic.Manifest.Evaluation) { ["adaptedOnRows"] = adaptedOn },
        };
        return new SeriesDetector(copy, manifest);
    }
}
