namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// NAB's normalised score (<c>Runner.normalize</c>): <c>100 · (raw − null) / (perfect − null)</c>, where null is the
/// raw score of NAB's null detector (a constant 0.5 for every row, with its own optimised threshold) and perfect is
/// <c>tpWeight</c> for every label window. NAB counts every window of <c>combined_windows.json</c>; Vigil counts the
/// windows of the series it scores, which is the same whenever the labels and <c>data/</c> agree (as in NAB itself)
/// and keeps a partial copy of the corpus from being scored against windows it cannot see.
/// </summary>
public static class NabNormalisation
{
    /// <summary>The null detector's anomaly score for every row.</summary>
    public const double NullDetectorScore = 0.5;

    public static double PerfectScore(int windows, NabCostMatrix cost) => windows * cost.TpWeight;

    /// <summary>NaN when perfect equals null (nothing to detect: e.g. a category without windows).</summary>
    public static double Normalise(double raw, double nullScore, double perfect) =>
        perfect == nullScore ? double.NaN : 100 * (raw - nullScore) / (perfect - nullScore);
}
