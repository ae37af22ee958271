using TorchSharp;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Series;

/// <summary>
/// Intra-op threads for training and evaluation. Measured on the shared 2-core machine (load ≈ 20): one epoch of
/// lstm-dcnn on 3,575 windows took 8.7 s with 1 thread and 90 s with 2, because OpenMP threads spin-wait for a core
/// they cannot get. So the default is half the cores (at least 1), and <c>OMP_NUM_THREADS</c> wins when set.
/// </summary>
public static class TorchThreads
{
    public static int Configure(int? requested = null)
    {
        TorchRuntime.EnsureInitialised();
        var threads = requested
                      ?? (int.TryParse(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"), out var env) && env > 0 ? env : (int?)null)
                      ?? Math.Max(1, Environment.ProcessorCount / 2);
        torch.set_num_threads(threads);
        return threads;
    }
}
