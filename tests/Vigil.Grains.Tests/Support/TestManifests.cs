using Vigil.Detectors.Bundles;

namespace Vigil.Grains.Tests.Support;

internal static class TestManifests
{
    public static BundleManifest Series(string kind, string version, int window, float thresholdScore, int channels = 1) => new()
    {
        Kind = kind,
        Version = version,
        Created = DateTimeOffset.UnixEpoch,
        Window = window,
        Horizon = 0,
        Channels = channels,
        Normalisation = new NormalisationSpec("stream"),
        Threshold = new ThresholdSpec(1, thresholdScore, "test"),
        TrainingFingerprint = "test",
        WeightsSha256 = "test",
    };
}
