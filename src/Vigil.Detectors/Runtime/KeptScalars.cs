using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.Detectors.Runtime;

/// <summary>
/// Scalars kept alive for the whole process, for the arithmetic that runs while a silo serves. TorchSharp 0.107 turns
/// the number an operation takes (the 0.5 of <c>x − 0.5</c>, the 0 of <c>clamp_min(0)</c>, and the alpha of 1 that
/// <c>a + b</c> passes on) into a temporary Scalar whose last reference ends when its native handle is read; a
/// garbage collection on another thread can then finalise it while libtorch is still reading it. libtorch fails with
/// "Expected false to be true" from <c>c10::Scalar::toFloat</c>, or, if the freed memory was reused, reads another
/// number. Seen as 7 HTTP 500s in 86,400 camera frames of a fast-forward simulate run (2026-11-23); a throwaway
/// harness doing <c>a + b</c> beside a thread that only collects garbage failed 50 times in 650,000 operations, and
/// never with a kept Scalar (780,000). <c>a − b</c> and <c>a / b</c> of two tensors take no Scalar in this version.
/// Training steps run in a <see cref="NoGcRegion"/>, and their optimiser holds its own (<see cref="KeptScalarsAdam"/>).
/// </summary>
internal static class KeptScalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar Two = 2.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary><c>a + b</c> with a kept alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a += b</c> with a kept alpha.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);
}
