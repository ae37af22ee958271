using Vigil.Detectors.Scoring;

namespace Vigil.Grains.Models;

/// <summary>Turns a bundle folder into a ready detector on this silo's device. Throws <c>BundleException</c>.</summary>
public interface IDetectorFactory
{
    ISeriesDetector LoadSeries(BundleLocation bundle);

    IFrameDetector LoadFrames(BundleLocation bundle);
}
