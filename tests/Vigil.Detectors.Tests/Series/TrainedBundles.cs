using Vigil.Detectors.Bundles;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

/// <summary>Tiny bundles trained once per test run (a few seconds each) and shared by the tests that only read them.</summary>
public sealed class TrainedBundles : IDisposable
{
    private readonly TempFolder folder = new();

    public TrainedBundles()
    {
        TorchThreads.Configure(1);
        var training = new[] { SyntheticSeries.ToSeries(SyntheticSeries.Normal(2_000, seed: 1), "train.csv") };
        foreach (var kind in new[] { DetectorKinds.LstmDcnn, DetectorKinds.Autoencoder })
        {
            var dir = folder.File(kind);
            var outcome = SeriesTraining.TrainBundle(kind, training, SyntheticSeries.Tiny(kind), SyntheticSeries.QuickTraining(), dir, "cpu");
            Directories[kind] = dir;
            Manifests[kind] = outcome.Manifest;
        }
    }

    public Dictionary<string, string> Directories { get; } = [];
    public Dictionary<string, BundleManifest> Manifests { get; } = [];

    /// <summary>A private copy a test may damage.</summary>
    public string CopyOf(string kind, TempFolder into)
    {
        var target = into.File(kind);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Directories[kind]))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    public void Dispose() => folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TrainedBundlesCollection : ICollectionFixture<TrainedBundles>
{
    public const string Name = "trained series bundles";
}
