using Vigil.Detectors.Bundles;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Scoring;

/// <summary>Opens a bundle folder as a ready detector; one method per detector family. Every failure is a <see cref="BundleException"/>.</summary>
public static partial class DetectorLoader
{
    /// <summary>lstm-dcnn or autoencoder bundle → batch-first detector on <paramref name="device"/> (cpu|cuda|auto).</summary>
    public static ISeriesDetector LoadSeries(string bundleDir, string device = "auto") => SeriesBundle.Load(bundleDir, device);
}
