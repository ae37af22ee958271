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
    [ThreadStatic] private static bool _appliedOnThisThread;

    public static int Configure(int? requested = null)
    {
        TorchRuntime.EnsureInitialised();
        var threads = requested ?? DefaultCount();
        torch.set_num_threads(threads);
        return threads;
    }

    /// <summary>
    /// For inference threads (a model grain's batcher): OpenMP keeps the thread count per calling thread, so a count set
    /// on the main thread does not reach them. `vigil bench cluster` measured the difference on 2 busy cores: the full
    /// path ran at 3,496 readings/s with one torch thread and 2,425 with the default two.
    /// </summary>
    public static void ApplyToCurrentThread()
    {
        if (_appliedOnThisThread) return;
        torch.set_num_threads(DefaultCount());
        _appliedOnThisThread = true;
    }

    private static int DefaultCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"), out var env) && env > 0
            ? env
            : Math.Max(1, Environment.ProcessorCount / 2);
}
