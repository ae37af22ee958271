using System.Runtime.InteropServices;
using TorchSharp;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Series;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Runtime;

/// <summary>
/// Counts page faults, not time: with glibc's initial thresholds every batch-64 autoencoder pass faults in fresh
/// memory (about 900 minor faults per pass, measured), with <see cref="NativeHeap"/>'s almost none.
/// </summary>
public sealed class NativeHeapTests
{
    [Fact]
    public void Forward_passes_reuse_heap_memory_instead_of_faulting_in_new_pages()
    {
        TorchRuntime.EnsureInitialised();
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(TorchRuntime.HeapConfiguration.Applied, TorchRuntime.HeapConfiguration.Detail);

        using var scope = NewDisposeScope();
        torch.manual_seed(11);
        using var network = new ConvAutoencoderNetwork(new SeriesHyperparameters { Window = 60, ConvFilters = 64 });
        network.eval();
        var windows = randn(64, 60, 1);
        double FaultsPerPass()
        {
            using var inference = inference_mode();
            for (var i = 0; i < 5; i++) { using var pass = NewDisposeScope(); network.forward(windows); }
            var before = MinorFaultsOfThisThread();
            for (var i = 0; i < 20; i++) { using var pass = NewDisposeScope(); network.forward(windows); }
            return (MinorFaultsOfThisThread() - before) / 20.0;
        }

        double withGlibcDefaults;
        try
        {
            // glibc's starting point (128 KiB mmap threshold, trim at twice it), to show the count tells the two apart.
            Assert.Equal(1, mallopt(-3, 128 << 10));
            Assert.Equal(1, mallopt(-1, 256 << 10));
            withGlibcDefaults = FaultsPerPass();
        }
        finally
        {
            Assert.True(NativeHeap.Configure().Applied);
        }
        var withNativeHeap = FaultsPerPass();

        Assert.True(withGlibcDefaults > 100, $"{withGlibcDefaults:F1} faults per pass with glibc's thresholds");
        Assert.True(withNativeHeap < 20, $"{withNativeHeap:F1} faults per pass with NativeHeap's thresholds");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Usage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxResident, SharedText, UnsharedData, UnsharedStack, MinorFaults, MajorFaults;
        public long Swaps, BlockIn, BlockOut, MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }

    private static long MinorFaultsOfThisThread()
    {
        Assert.Equal(0, getrusage(1 /* RUSAGE_THREAD */, out var usage));
        return usage.MinorFaults;
    }

    [DllImport("libc")] private static extern int getrusage(int who, out Usage usage);
    [DllImport("libc")] private static extern int mallopt(int parameter, int value);
}
