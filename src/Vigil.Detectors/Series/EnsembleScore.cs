namespace Vigil.Detectors.Series;

/// <summary>
/// The ensemble: each detector keeps its own stream history and score, and the stream's score is their mean.
/// Scores are log tail probabilities, so the mean is the log of the geometric mean of the tail probabilities: both
/// detectors must find the moment unusual for a high score, which cancels each one's private false alarms.
/// </summary>
public static class EnsembleScore
{
    public static double Combine(double a, double b) => 0.5 * (a + b);

    public static double[] Combine(IReadOnlyList<double[]> scores)
    {
        var combined = new double[scores[0].Length];
        for (var t = 0; t < combined.Length; t++)
        {
            double sum = 0;
            foreach (var s in scores) sum += s[t];
            combined[t] = sum / scores.Count;
        }
        return combined;
    }
}
