namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// Scores one file at a fixed threshold, as NAB's <c>scoreDataSet</c>: a row past the probationary period is a
/// detection when its anomaly score is ≥ the threshold; each scorable window earns the weight of its earliest
/// detection (the highest, since weights fall across a window) or costs −fnWeight; each detection outside the
/// windows adds its (negative) FP weight.
/// </summary>
internal static class NabFileScoring
{
    public static NabFileScore Score(NabSeries series, double[] anomalyScores, double[] weights, NabCostMatrix cost, double threshold)
    {
        var rowWindows = NabSweepScore.RowWindows(series);
        var probation = series.ProbationaryLength;
        int tp = 0, tn = 0, fp = 0, fn = 0;
        var falsePositives = 0.0;
        var windowBest = WindowStartValues(series, cost);
        for (var i = probation; i < series.RowCount; i++)
        {
            var detected = anomalyScores[i] >= threshold;
            var window = rowWindows[i];
            if (window >= 0)
            {
                if (detected)
                {
                    tp++;
                    windowBest[window] = Math.Max(windowBest[window], weights[i]);
                }
                else
                {
                    fn++;
                }
            }
            else if (detected)
            {
                fp++;
                falsePositives += weights[i];
            }
            else
            {
                tn++;
            }
        }

        var score = falsePositives;
        for (var k = 0; k < windowBest.Length; k++)
            score += windowBest[k];
        return new NabFileScore(series.RelativePath, threshold, score, tp, tn, fp, fn, series.RowCount);
    }

    /// <summary>
    /// NAB's per-row <c>S(t)</c> column as its published result files lay it out: each window's TP or FN value on the
    /// window's first row, each false positive's cost on its row, 0 elsewhere; the column sums to the file's score.
    /// </summary>
    public static double[] RowContributions(NabSeries series, double[] anomalyScores, double[] weights, NabCostMatrix cost, double threshold)
    {
        var contributions = new double[series.RowCount];
        var rowWindows = NabSweepScore.RowWindows(series);
        var windowBest = WindowStartValues(series, cost);
        for (var i = series.ProbationaryLength; i < series.RowCount; i++)
        {
            if (anomalyScores[i] < threshold)
                continue;
            var window = rowWindows[i];
            if (window >= 0)
                windowBest[window] = Math.Max(windowBest[window], weights[i]);
            else
                contributions[i] = weights[i];
        }

        for (var k = 0; k < series.Windows.Count; k++)
            contributions[series.Windows[k].Start] = windowBest[k];
        return contributions;
    }

    /// <summary>−fnWeight for every window that can be scored (a miss until a detection improves it), 0 for the rest.</summary>
    private static double[] WindowStartValues(NabSeries series, NabCostMatrix cost)
    {
        var values = new double[series.Windows.Count];
        for (var k = 0; k < values.Length; k++)
            values[k] = NabSweepScore.IsScorable(series.Windows[k], series.ProbationaryLength) ? -cost.FnWeight : 0.0;
        return values;
    }
}
