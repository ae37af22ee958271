using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

[Collection(TrainedBundlesCollection.Name)]
public sealed class SeriesBundleTests(TrainedBundles bundles)
{
    [Theory]
    [InlineData(DetectorKinds.LstmDcnn)]
    [InlineData(DetectorKinds.Autoencoder)]
    public void A_saved_bundle_loads_back_with_its_manifest_and_scores_like_the_trained_model(string kind)
    {
        using var detector = DetectorLoader.LoadSeries(bundles.Directories[kind], "cpu");
        var saved = bundles.Manifests[kind];

        Assert.Equal(kind, detector.Manifest.Kind);
        Assert.Equal(saved.WeightsSha256, detector.Manifest.WeightsSha256);
        Assert.Equal(24 + saved.Horizon, detector.InputLength);
        Assert.Equal(1, detector.Channels);
        Assert.Equal("stream", detector.Manifest.Normalisation.Mode);
        Assert.Contains("percentile", detector.Manifest.Threshold.Rule);
        Assert.InRange(detector.Manifest.Threshold.Score, 0, 1);
        Assert.True(detector.Manifest.Threshold.RawValue > 0);
        Assert.True(detector.Manifest.Evaluation.ContainsKey(SeriesCalibration.LogErrorMeanKey));

        // Two independent loads give bit-identical errors: the weights, not chance, decide the output.
        using var again = DetectorLoader.LoadSeries(bundles.Directories[kind], "cpu");
        var inputs = SyntheticSeries.Normal(detector.InputLength * 3, seed: 5);
        var a = new float[3];
        var b = new float[3];
        detector.ScoreBatch(inputs, 3, a);
        again.ScoreBatch(inputs, 3, b);
        Assert.Equal(a, b);
        Assert.All(a, e => Assert.True(float.IsFinite(e) && e >= 0));
    }

    [Fact]
    public void A_flipped_byte_in_the_weights_is_refused_naming_the_weights_file()
    {
        using var temp = new TempFolder();
        var dir = bundles.CopyOf(DetectorKinds.LstmDcnn, temp);
        var weights = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(weights, bytes);

        var e = Assert.Throws<BundleException>(() => DetectorLoader.LoadSeries(dir, "cpu"));
        Assert.Contains(weights, e.Message);
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void Truncated_weights_are_refused()
    {
        using var temp = new TempFolder();
        var dir = bundles.CopyOf(DetectorKinds.Autoencoder, temp);
        var weights = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 3)]);

        var e = Assert.Throws<BundleException>(() => DetectorLoader.LoadSeries(dir, "cpu"));
        Assert.Contains("weights.bin", e.Message);
    }

    [Fact]
    public void Weights_that_do_not_fit_the_described_network_are_refused_even_with_a_matching_checksum()
    {
        using var temp = new TempFolder();
        var dir = bundles.CopyOf(DetectorKinds.LstmDcnn, temp);
        var manifestPath = Path.Combine(dir, "manifest.json");
        // A manifest that describes a wider network; the checksum still matches the (narrower) weights.
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"lstmHidden\": 16", "\"lstmHidden\": 17"));

        var e = Assert.Throws<BundleException>(() => DetectorLoader.LoadSeries(dir, "cpu"));
        Assert.Contains("weights.bin", e.Message);
    }

    [Fact]
    public void A_manifest_whose_shape_disagrees_with_its_hyperparameters_is_refused()
    {
        using var temp = new TempFolder();
        var dir = bundles.CopyOf(DetectorKinds.LstmDcnn, temp);
        var manifestPath = Path.Combine(dir, "manifest.json");
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath).Replace("\"window\": 24,\n  \"horizon\"", "\"window\": 30,\n  \"horizon\""));

        var e = Assert.Throws<BundleException>(() => DetectorLoader.LoadSeries(dir, "cpu"));
        Assert.Contains("manifest.json", e.Message);
        Assert.Contains("disagrees", e.Message);
    }

    [Fact]
    public void A_missing_bundle_and_a_garbled_manifest_are_refused()
    {
        using var temp = new TempFolder();
        Assert.Throws<BundleException>(() => DetectorLoader.LoadSeries(temp.File("nothing-here"), "cpu"));

        var dir = bundles.CopyOf(DetectorKinds.Autoencoder, temp);
        var manifestPath = Path.Combine(dir, "manifest.json");
        File.WriteAllText(manifestPath, File.ReadAllText(manifestPath)[..40]);
        var e = Assert.Throws<BundleException>(() => DetectorLoader.LoadSeries(dir, "cpu"));
        Assert.Contains(manifestPath, e.Message);
    }
}
