using Vigil.Detectors.Frames;

namespace Vigil.Detectors.Scoring;

public static partial class DetectorLoader
{
    /// <summary>frame-cnn bundle → batch-first frame detector on <paramref name="device"/> (cpu|cuda|auto).</summary>
    public static IFrameDetector LoadFrames(string bundleDir, string device = "auto") => FrameCnnBundle.Load(bundleDir, device);
}
