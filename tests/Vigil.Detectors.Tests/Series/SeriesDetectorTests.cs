using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Tests.Series;

[Collection(TrainedBundlesCollection.Name)]
public sealed class SeriesDetectorTests(TrainedBundles bundles)
{
    [Theory]
    [InlineData(DetectorKinds.LstmDcnn)]
    [InlineData(DetectorKinds.Autoencoder)]
    public void Scoring_a_batch_gives_the_same_errors_as_scoring_each_item_alone(string kind)
    {
        using var detector = DetectorLoader.LoadSeries(bundles.Directories[kind], "cpu");
        const int batch = 37;
        var itemSize = detector.InputLength * detector.Channels;
        var inputs = SyntheticSeries.Normal(batch * itemSize, seed: 9);
        var together = new float[batch];
        detector.ScoreBatch(inputs, batch, together);

        var alone = new float[1];
        for (var i = 0; i < batch; i++)
        {
            detector.ScoreBatch(inputs.AsSpan(i * itemSize, itemSize), 1, alone);
            Assert.Equal(together[i], alone[0], 1e-5f);
        }
    }

    [Fact]
    public void Too_few_inputs_or_outputs_for_the_batch_are_refused()
    {
        using var detector = DetectorLoader.LoadSeries(bundles.Directories[DetectorKinds.LstmDcnn], "cpu");
        var inputs = new float[detector.InputLength * 2];
        Assert.Throws<ArgumentException>(() => detector.ScoreBatch(inputs, 3, new float[3]));
        Assert.Throws<ArgumentException>(() => detector.ScoreBatch(inputs, 2, new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.ScoreBatch(inputs, 0, new float[1]));
    }

    [Fact]
    public void A_disposed_detector_refuses_to_score()
    {
        var detector = DetectorLoader.LoadSeries(bundles.Directories[DetectorKinds.Autoencoder], "cpu");
        detector.Dispose();
        Assert.Throws<ObjectDisposedException>(() => detector.ScoreBatch(new float[detector.InputLength], 1, new float[1]));
    }
}
