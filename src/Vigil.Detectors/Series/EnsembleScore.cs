namespace Vigil.Detectors.Series;

/// <summary>How the ensemble turns each detector's stream score into one.</summary>
public enum EnsembleRule
{
    /// <summary>The smaller score: both detectors must find the moment unusual.</summary>
    Min,

    /// <summary>The mean score (on the log-tail scale: the geometric mean of the tail probabilities).</summary>
    Mean,

    /// <summary>The larger score: either detector alone may raise it.</summary>
    Max,
}

/// <summary>
/// The ensemble: each detector keeps its own stream history and score, and the stream's score combines them by an
/// <see cref="EnsembleRule"/>. Which rule ships is chosen without labels (<c>vigil evaluate nab --select</c>, on
/// synthetic anomalies); see <see cref="Default"/>.
/// </summary>
public static class EnsembleScore
{
    /// <summary>The rule the ensemble ships with: what the label-free selection picked for the shipped bundles with
    /// their chosen stream scoring, reading signals included (synthetic NAB standard: mean 65.6, max 64.8, min 64.2;
    /// README, "NAB"). Before the reading signals it picked max (42.6 against mean 41.1).</summary>
    public const EnsembleRule Default = EnsembleRule.Mean;

    public static double Combine(double a, double b, EnsembleRule rule = Default) => rule switch
    {
        EnsembleRule.Min => Math.Min(a, b),
        EnsembleRule.Max => Math.Max(a, b),
        _ => (a + b) / 2,
    };

    public static double[] Combine(IReadOnlyList<double[]> scores, EnsembleRule rule = Default)
    {
        var combined = (double[])scores[0].Clone();
        for (var s = 1; s < scores.Count; s++)
        for (var t = 0; t < combined.Length; t++)
            combined[t] = rule == EnsembleRule.Mean ? combined[t] + scores[s][t] : Combine(combined[t], scores[s][t], rule);
        if (rule == EnsembleRule.Mean)
            for (var t = 0; t < combined.Length; t++) combined[t] /= scores.Count;
        return combined;
    }
}
