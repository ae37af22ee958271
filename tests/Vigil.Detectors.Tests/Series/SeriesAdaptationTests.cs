using System.Runtime.InteropServices;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

/// <summary>A stream's adaptation survives one failed training run, and says why when it does not happen at all.</summary>
[Collection(TrainedBundlesCollection.Name)]
public sealed class SeriesAdaptationTests(TrainedBundles bundles)
{
    private static readonly SeriesTrainingOptions Quick = SeriesAdaptation.DefaultOptions with { Epochs = 1 };

    private SeriesDetector Generic() => (SeriesDetector)DetectorLoader.LoadSeries(bundles.Directories[DetectorKinds.LstmDcnn], "cpu");

    private static SeriesData History(int rows) => SyntheticSeries.ToSeries(SyntheticSeries.Normal(rows, seed: 7));

    [Fact]
    public void A_native_failure_on_the_first_try_is_retried_from_fresh_weights()
    {
        using var generic = Generic();
        var calls = 0;
        using var result = SeriesAdaptation.FineTune(generic, History(400), Quick, (model, windows, options) =>
        {
            if (++calls == 1)
            {
                // What the CPU backend does now and then, after having changed some weights.
                using (TorchSharp.torch.no_grad()) model.Network.parameters().First().add_(1f);
                throw new ExternalException("Unknown scalar type");
            }
            return SeriesTrainer.Train(model, windows, options);
        });

        Assert.True(result.Adapted);
        Assert.Equal(2, result.AdaptedOnAttempt);
        Assert.Equal(["Unknown scalar type"], result.Failures);
        Assert.Equal(400, result.Detector.Manifest.Evaluation["adaptedOnRows"]);
        // The second try started from the generic weights, not from the failed try's.
        var first = result.Detector.Model.Network.parameters().First();
        var original = generic.Model.Network.parameters().First();
        Assert.True((first - original).abs().max().item<float>() < 0.5f);
    }

    [Fact]
    public void When_every_try_fails_the_stream_keeps_the_generic_weights_and_the_reasons()
    {
        using var generic = Generic();
        var calls = 0;
        using var result = SeriesAdaptation.FineTune(generic, History(400), Quick, (model, _, _) =>
        {
            using (TorchSharp.torch.no_grad()) model.Network.parameters().First().add_(1f);
            throw new InvalidOperationException($"training diverged (try {++calls})");
        });

        Assert.False(result.Adapted);
        Assert.Equal(SeriesAdaptation.Attempts, calls);
        Assert.Equal(["training diverged (try 1)", "training diverged (try 2)"], result.Failures);
        Assert.Equal(0, result.Detector.Manifest.Evaluation["adaptedOnRows"]);
        var values = SyntheticSeries.ToSeries(SyntheticSeries.Normal(300, seed: 8));
        Assert.Equal(SeriesStreamScorer.RawErrors(generic, values), SeriesStreamScorer.RawErrors(result.Detector, values));
    }

    [Fact]
    public void A_history_too_short_to_learn_from_is_not_trained_on_and_says_so()
    {
        using var generic = Generic();
        using var result = SeriesAdaptation.FineTune(generic, History(generic.InputLength + 5), Quick,
            (_, _, _) => throw new InvalidOperationException("must not train"));

        Assert.False(result.Adapted);
        Assert.Contains("too few to learn from", Assert.Single(result.Failures));
    }
}
