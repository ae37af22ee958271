using System.Collections.Concurrent;
using Vigil.Detectors.Scoring;
using Vigil.Grains.Models;

namespace Vigil.Grains.Tests.Support;

/// <summary>
/// Catalog and factory in one, shared by the silos of one test cluster: tests publish versions and look at the
/// detectors the model grains loaded.
/// </summary>
internal sealed class TestModels : IModelCatalog, IDetectorFactory
{
    private readonly ConcurrentDictionary<(string Kind, string Version), Func<LastStepDetector>> published = new();

    public ConcurrentQueue<LastStepDetector> Loaded { get; } = new();

    public void Publish(string kind, string version, Func<LastStepDetector> create) => published[(kind, version)] = create;

    /// <summary>The catalog most device tests start from: lstm-dcnn v1, a <see cref="LastStepDetector"/> over 10 readings.</summary>
    public static TestModels WithLastStep(float thresholdScore)
    {
        var models = new TestModels();
        models.Publish("lstm-dcnn", "v1", () => new LastStepDetector(TestManifests.Series("lstm-dcnn", "v1", window: 10, thresholdScore: thresholdScore)));
        return models;
    }

    public BundleLocation? FindLatest(string kind) =>
        published.Keys.Where(k => k.Kind == kind).OrderByDescending(k => k.Version, StringComparer.Ordinal)
            .Select(k => new BundleLocation(kind, k.Version, $"test://{kind}/{k.Version}")).FirstOrDefault();

    public BundleLocation? Find(string kind, string version) =>
        published.ContainsKey((kind, version)) ? new BundleLocation(kind, version, $"test://{kind}/{version}") : null;

    public ISeriesDetector LoadSeries(BundleLocation bundle)
    {
        var detector = published[(bundle.Kind, bundle.Version)]();
        Loaded.Enqueue(detector);
        return detector;
    }

    public IFrameDetector LoadFrames(BundleLocation bundle) =>
        new BrightTileDetector(TestManifests.Series(bundle.Kind, bundle.Version, window: 28, thresholdScore: FrameThreshold));

    /// <summary>Publishes the bright-tile frame detector as frame-cnn <paramref name="version"/>.</summary>
    public void PublishFrames(string version, float threshold)
    {
        FrameThreshold = threshold;
        published[("frame-cnn", version)] = () => throw new InvalidOperationException("frame-cnn is loaded by LoadFrames");
    }

    private float FrameThreshold { get; set; } = 0.5f;
}
