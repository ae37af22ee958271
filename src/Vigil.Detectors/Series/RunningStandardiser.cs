namespace Vigil.Detectors.Series;

/// <summary>
/// One channel's running mean and variance (Welford, then exponential forgetting after <c>historyLength</c>
/// readings): the "stream" normalisation of series bundles. A device grain keeps one per channel (24 bytes) and
/// standardises each window with it before scoring; the trainer standardises each training series by its own
/// statistics, which is what this converges to on a steady stream.
/// </summary>
public record struct RunningStandardiser(long Count, double Mean, double Variance)
{
    public const int DefaultHistoryLength = 5000;

    public void Add(double value, int historyLength = DefaultHistoryLength)
    {
        if (!double.IsFinite(value)) return;
        var n = Count + 1;
        var weight = 1.0 / Math.Min(n, historyLength);
        var delta = value - Mean;
        Mean += weight * delta;
        Variance = Count == 0 ? 0 : (1 - weight) * (Variance + weight * delta * delta);
        Count = n;
    }

    /// <summary>Standard deviation with a floor relative to the level, so a flat stream does not divide by zero.</summary>
    public readonly double Std => Math.Max(Math.Sqrt(Variance), 1e-6 * (Math.Abs(Mean) + 1));

    public readonly float Standardise(double value) => (float)((value - Mean) / Std);
}
