using Microsoft.Extensions.Options;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Scoring;
using Vigil.Grains.Options;

namespace Vigil.Grains.Models;

/// <summary>Loads bundles with <see cref="DetectorLoader"/> on the device <c>Vigil:Silo:Device</c> names.</summary>
internal sealed class BundleDetectorFactory(IOptions<ModelDeviceOptions> device) : IDetectorFactory
{
    public ISeriesDetector LoadSeries(BundleLocation bundle)
    {
        TorchRuntime.EnsureInitialised();
        return DetectorLoader.LoadSeries(bundle.Directory, device.Value.Device.ToLowerInvariant());
    }

    public IFrameDetector LoadFrames(BundleLocation bundle)
    {
        TorchRuntime.EnsureInitialised();
        return DetectorLoader.LoadFrames(bundle.Directory, device.Value.Device.ToLowerInvariant());
    }
}
