namespace Vigil.Detectors.Runtime;

/// <summary>
/// A scope during which the GC does not run (best effort: if the runtime refuses, it is a no-op). Training steps run
/// inside one: TorchSharp 0.107 intermittently failed with "Unknown scalar type" in Adam.step (and, rarely, NaN
/// gradients), consistent with a temporary Scalar finalised while native code still used it.
/// </summary>
internal readonly struct NoGcRegion : IDisposable
{
    private readonly bool entered;

    private NoGcRegion(bool entered) => this.entered = entered;

    public static NoGcRegion Enter()
    {
        try
        {
            return new NoGcRegion(GC.TryStartNoGCRegion(32L * 1024 * 1024));
        }
        catch (InvalidOperationException)
        {
            return new NoGcRegion(false); // already inside one
        }
    }

    public void Dispose()
    {
        if (!entered) return;
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region had already ended: the runtime ends it with a GC once the step allocated past the budget, and
            // the mode is process-wide, so another thread's step can end it too. Checking the latency mode first was a
            // race (a fresh-clone CI run, 2026-11-24: "NoGCRegion mode must be set" from a training fixture).
        }
    }
}
