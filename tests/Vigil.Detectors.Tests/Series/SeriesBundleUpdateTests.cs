using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

/// <summary>Recording a selection in a bundle rewrites its manifest only; the weights stay byte for byte.</summary>
[Collection(TrainedBundlesCollection.Name)]
public sealed class SeriesBundleUpdateTests(TrainedBundles bundles)
{
    [Fact]
    public void An_updated_manifest_keeps_the_weights_and_still_loads()
    {
        using var temp = new TempFolder();
        var dir = bundles.CopyOf(DetectorKinds.Autoencoder, temp);
        var weights = File.ReadAllBytes(Path.Combine(dir, "weights.bin"));

        var updated = SeriesBundle.UpdateManifest(dir, m => m with { Evaluation = new(m.Evaluation) { ["syntheticNabStandard"] = 12.5 } });

        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(dir, "weights.bin")));
        Assert.Equal(bundles.Manifests[DetectorKinds.Autoencoder].WeightsSha256, updated.WeightsSha256);
        using var detector = DetectorLoader.LoadSeries(dir, "cpu");
        Assert.Equal(12.5, detector.Manifest.Evaluation["syntheticNabStandard"]);
        Assert.False(File.Exists(Path.Combine(dir, "weights.bin.tmp")));
    }

    [Fact]
    public void An_update_that_changes_the_shape_is_refused_and_leaves_the_bundle_as_it_was()
    {
        using var temp = new TempFolder();
        var dir = bundles.CopyOf(DetectorKinds.Autoencoder, temp);
        var before = File.ReadAllText(Path.Combine(dir, ModelBundle.ManifestFile));

        Assert.Throws<ArgumentException>(() => SeriesBundle.UpdateManifest(dir, m => m with { Window = m.Window + 1 }));
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, ModelBundle.ManifestFile)));
    }
}
