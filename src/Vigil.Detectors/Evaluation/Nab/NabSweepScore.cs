namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// NAB's per-row weight ("sweep score", <c>nab/sweeper.py</c>): what a detection at that row would earn under a cost
/// matrix. Inside a window: the scaled sigmoid of the row's position, as a share of <c>tpWeight</c>. Outside: a false
/// positive costing <c>fpWeight</c> times the sigmoid of its distance past the previous window (full cost with no
/// window before it).
/// </summary>
internal static class NabSweepScore
{
    /// <summary>Value at a window's left edge; TP weights are divided by it so the left edge earns exactly tpWeight.</summary>
    public static readonly double MaxTruePositive = ScaledSigmoid(-1.0);

    /// <summary>
    /// <c>2·sigmoid(−5x) − 1</c>, with <c>−1</c> from <c>x ≥ 3</c> on (NAB's sweeper; its older scorer cut at
    /// <c>x &gt; 3</c>, which differs by at most 3·10⁻⁷·fpWeight at exactly 3). Written as NAB writes it so the
    /// floating-point result is the same.
    /// </summary>
    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition >= 3.0 ? -1.0 : 2 * Sigmoid(-5 * relativePosition) - 1.0;

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Weight of every row of the series (probationary rows included; the callers skip them).</summary>
    public static double[] RowWeights(NabSeries series, NabCostMatrix cost)
    {
        var weights = new double[series.RowCount];
        var windows = series.Windows;
        var next = 0;
        var previousRight = -1;
        var previousWidth = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            while (next < windows.Count && windows[next].End < i)
                next++;
            if (next < windows.Count && windows[next].Contains(i))
            {
                var w = windows[next];
                var position = -(w.End - i + 1) / (double)w.Width;
                weights[i] = ScaledSigmoid(position) * cost.TpWeight / MaxTruePositive;
                if (i == w.End)
                {
                    previousRight = i;
                    previousWidth = w.Width;
                }
            }
            else
            {
                // A one-row window gives 0 rows of spread: NAB divides by zero there; +∞ → the full FP cost.
                var position = previousRight < 0 ? 3.0 : Math.Abs(previousRight - i) / (double)(previousWidth - 1);
                weights[i] = ScaledSigmoid(position) * cost.FpWeight;
            }
        }

        return weights;
    }

    /// <summary>Index of the window holding each row, or −1 outside every window.</summary>
    public static int[] RowWindows(NabSeries series)
    {
        var rowWindows = new int[series.RowCount];
        Array.Fill(rowWindows, -1);
        for (var k = 0; k < series.Windows.Count; k++)
            Array.Fill(rowWindows, k, series.Windows[k].Start, series.Windows[k].Width);
        return rowWindows;
    }

    /// <summary>
    /// A window counts (as a TP or an FN) only if at least one of its rows is past the probationary period, as in
    /// NAB's sweeper; a window wholly inside it is the detector's to learn from.
    /// </summary>
    public static bool IsScorable(NabWindow window, int probationaryLength) => window.End >= probationaryLength;
}
