namespace Vigil.Grains.Devices;

/// <summary>
/// A device's score threshold: the bundle's generic threshold at first, moving towards the device's own 99.5th
/// percentile of calm scores as scorings accumulate, and never below the generic one (a noisy device earns a higher
/// bar; a quiet one keeps the calibrated false-alarm rate). The percentile is tracked by a stochastic-approximation
/// step per score, so the state is two numbers.
/// </summary>
[GenerateSerializer, Alias("vigil.adaptive-threshold")]
public sealed class AdaptiveThreshold
{
    public const double Percentile = 0.995;

    /// <summary>Highest threshold a device can earn: a score of 1 must always be able to alert.</summary>
    public const float Ceiling = 0.99f;

    private const double Step = 0.02;

    [Id(0)] public long Scorings { get; set; }
    [Id(1)] public float Quantile { get; set; } = float.NaN;

    public float Current(float generic, int warmup)
    {
        if (float.IsNaN(Quantile)) return generic;
        var weight = Math.Min(1.0, Scorings / (double)warmup);
        return (float)Math.Min(Ceiling, Math.Max(generic, generic + weight * (Quantile - generic)));
    }

    /// <summary>Folds a score in; only calm scores (no alert open) should come here, or an anomaly would raise its own bar.</summary>
    public void Observe(float score, float generic)
    {
        if (float.IsNaN(Quantile)) Quantile = generic;
        Scorings++;
        Quantile += (float)(Step * ((score > Quantile ? 1 : 0) - (1 - Percentile)));
        Quantile = Math.Clamp(Quantile, 0, 1);
    }
}
