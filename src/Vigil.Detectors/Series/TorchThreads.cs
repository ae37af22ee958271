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
    /// <summary>The count <see cref="Configure"/> chose for the process; 0 until it is called.</summary>
    private static int _configured;

    /// <summary>The count last set on this thread (0: none yet).</summary>
    [ThreadStatic] private static int _appliedOnThisThread;

    public static int Configure(int? requested = null)
    {
        TorchRuntime.EnsureInitialised();
        var threads = requested ?? DefaultCount();
        Volatile.Write(ref _configured, threads);
        torch.set_num_threads(threads);
        _appliedOnThisThread = threads;
        return threads;
    }

    /// <summary>
    /// For inference threads (a model grain's batcher): OpenMP keeps the thread count per calling thread, so a count set
    /// on the main thread does not reach them. `vigil bench cluster` measured the difference on 2 busy cores: the full
    /// path ran at 3,496 readings/s with one torch thread and 2,425 with the default two. The count a command chose
    /// with <see cref="Configure"/> (<c>--threads</c>) is the one applied; before, the first scoring call set the
    /// default instead, even on the thread that had chosen, so <c>vigil bench detectors --threads 2</c> measured its
    /// GEMM reference with two threads and the detectors with one.
    /// </summary>
    public static void ApplyToCurrentThread()
    {
        var wanted = Volatile.Read(ref _configured) is > 0 and var chosen ? chosen : DefaultCount();
        if (_appliedOnThisThread == wanted) return;
        torch.set_num_threads(wanted);
        _appliedOnThisThread = wanted;
    }

    private static int DefaultCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("OMP_NUM_THREADS"), out var env) && env > 0
            ? env
            : Math.Max(1, Environment.ProcessorCount / 2);
}
