using System.Runtime.InteropServices;

namespace Vigil.Detectors.Runtime;

/// <summary>
/// Keeps glibc's malloc from returning tensor memory to the kernel between forward passes. libtorch allocates CPU
/// tensors with malloc; glibc serves a block of 128 KiB or more with a fresh mmap (raising that threshold only after a
/// larger block was freed) and trims the heap top back to the kernel above twice the threshold. A batch of 64
/// autoencoder windows allocates and frees several blocks of about 0.5 MB, so in a process that had not yet freed a
/// larger block every pass took page faults on new memory: measured on the 2-core machine (one torch thread, shipped
/// weights), 8.7–10.6 k windows/s at batch 64 against 58–61 k once a 1024² matrix product had run first (which is why
/// <c>vigil bench detectors</c>, which starts with one, never showed it), and <c>vigil bench cluster --detector
/// autoencoder</c> ran its first batched pass at 6,625 readings/s with "model queue is full" refusals and its second at
/// 29,375. The thresholds set here are the top of glibc's own dynamic range (32 MiB) and twice it, from the start.
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1;  // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;  // M_MMAP_THRESHOLD

    /// <summary>Blocks below this come from the heap, not a fresh mmap.</summary>
    public const int MmapThresholdBytes = 32 << 20;

    /// <summary>Free memory at the heap top is only returned to the kernel above this.</summary>
    public const int TrimThresholdBytes = 64 << 20;

    /// <summary>
    /// Sets both thresholds where the C library is glibc; returns why not otherwise (another OS or C library), since
    /// the tensors are then someone else's allocator's business and nothing here is wrong.
    /// </summary>
    public static (bool Applied, string Detail) Configure()
    {
        if (!OperatingSystem.IsLinux()) return (false, "not Linux");
        try
        {
            var mmap = mallopt(MmapThreshold, MmapThresholdBytes);
            var trim = mallopt(TrimThreshold, TrimThresholdBytes);
            return mmap == 1 && trim == 1
                ? (true, $"glibc malloc: mmap threshold {MmapThresholdBytes >> 20} MiB, trim threshold {TrimThresholdBytes >> 20} MiB")
                : (false, $"mallopt refused (mmap {mmap}, trim {trim})");
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return (false, $"no glibc mallopt: {e.Message}");
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
