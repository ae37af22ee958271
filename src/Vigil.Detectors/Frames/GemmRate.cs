using System.Diagnostics;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>The machine's dense matrix-multiply rate (float32 GFLOP/s) on a device: the ceiling detector throughput is compared with.</summary>
public static class GemmRate
{
    public static double MeasureGflops(Device device, int n = 1024, double minSeconds = 1)
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        var a = randn(n, n, device: device);
        var b = randn(n, n, device: device);
        _ = a.mm(b).sum().item<float>(); // warm-up
        var clock = Stopwatch.StartNew();
        var count = 0;
        do
        {
            using var inner = NewDisposeScope();
            var c = a.mm(b);
            _ = c[0, 0].item<float>(); // forces completion on asynchronous devices
            count++;
        } while (clock.Elapsed.TotalSeconds < minSeconds);
        return 2.0 * n * n * n * count / clock.Elapsed.TotalSeconds / 1e9;
    }
}
