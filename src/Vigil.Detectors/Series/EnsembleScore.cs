namespace Vigil.Detectors.Series;

/// <summary>
/// The ensemble: each detector keeps its own stream history and score, and the stream's score is the smaller of the
/// two: both detectors must find the moment unusual, which cancels each one's private false alarms. Measured on NAB
/// (README) against the mean (worse) and the max (worse still).
/// </summary>
public static class EnsembleScore
{
    public static double Combine(double a, double b) => Math.Min(a, b);

    public static double[] Combine(IReadOnlyList<double[]> scores)
    {
        var combined = new double[scores[0].Length];
        for (var t = 0; t < combined.Length; t++)
        {
            var min = double.PositiveInfinity;
            foreach (var s in scores) min = Math.Min(min, s[t]);
            combined[t] = min;
        }
        return combined;
    }
}
