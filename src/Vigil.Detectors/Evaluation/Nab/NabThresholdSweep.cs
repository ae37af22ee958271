namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// NAB's threshold optimiser (<c>nab/optimizer.py</c> with <c>Sweeper.calcScoreByThreshold</c>): every scorable row
/// of the whole corpus sorted by anomaly score, highest first, then swept downwards. Each distinct score is a
/// candidate threshold, scored with every row at or above it detected; the first candidate is 1.1 (nothing detected).
/// The highest corpus score wins; on a tie the higher threshold wins (NAB sorts the candidates with a stable sort).
/// The rows are sorted once per detector and reused for every profile; the sweep itself allocates nothing per row.
/// </summary>
internal sealed class NabThresholdSweep
{
    /// <summary>NAB's starting threshold, above any score in [0, 1].</summary>
    public const double StartThreshold = 1.1;

    private readonly NabCorpus _corpus;
    private readonly double _startThreshold;
    private readonly double[] _sortedScores;
    private readonly int[] _sortedSeries;
    private readonly int[] _sortedRows;
    private readonly int[] _sortedWindows;
    private readonly int[] _windowOffsets;
    private readonly bool[] _windowScorable;
    private readonly int _rowsInWindows;

    /// <param name="scores">Anomaly scores per series, in the corpus's series order, already validated.</param>
    public NabThresholdSweep(NabCorpus corpus, IReadOnlyList<double[]> scores)
    {
        _corpus = corpus;
        _windowOffsets = new int[corpus.Series.Count];
        var windowCount = 0;
        var scorableRows = 0;
        for (var s = 0; s < corpus.Series.Count; s++)
        {
            _windowOffsets[s] = windowCount;
            windowCount += corpus.Series[s].Windows.Count;
            scorableRows += corpus.Series[s].RowCount - corpus.Series[s].ProbationaryLength;
        }

        _windowScorable = new bool[windowCount];
        var rawScores = new double[scorableRows];
        var rawSeries = new int[scorableRows];
        var rawRows = new int[scorableRows];
        var rawWindows = new int[scorableRows];
        var n = 0;
        var max = double.NegativeInfinity;
        for (var s = 0; s < corpus.Series.Count; s++)
        {
            var series = corpus.Series[s];
            for (var k = 0; k < series.Windows.Count; k++)
                _windowScorable[_windowOffsets[s] + k] = NabSweepScore.IsScorable(series.Windows[k], series.ProbationaryLength);
            var rowWindows = NabSweepScore.RowWindows(series);
            for (var i = series.ProbationaryLength; i < series.RowCount; i++, n++)
            {
                rawScores[n] = scores[s][i];
                rawSeries[n] = s;
                rawRows[n] = i;
                rawWindows[n] = rowWindows[i] < 0 ? -1 : _windowOffsets[s] + rowWindows[i];
                if (rowWindows[i] >= 0)
                    _rowsInWindows++;
                max = Math.Max(max, rawScores[n]);
            }
        }

        // Scores above NAB's 1.1 would be detected at its "nothing detected" start; start just above them instead.
        _startThreshold = max < StartThreshold ? StartThreshold : Math.BitIncrement(max);

        var order = new int[scorableRows];
        for (var k = 0; k < order.Length; k++)
            order[k] = k;
        Array.Sort(order, new HighestScoreFirst(rawScores));

        _sortedScores = new double[scorableRows];
        _sortedSeries = new int[scorableRows];
        _sortedRows = new int[scorableRows];
        _sortedWindows = new int[scorableRows];
        for (var k = 0; k < order.Length; k++)
        {
            var from = order[k];
            _sortedScores[k] = rawScores[from];
            _sortedSeries[k] = rawSeries[from];
            _sortedRows[k] = rawRows[from];
            _sortedWindows[k] = rawWindows[from];
        }
    }

    public NabThresholdChoice Optimise(NabCostMatrix cost)
    {
        var rowWeights = new double[_corpus.Series.Count][];
        for (var s = 0; s < rowWeights.Length; s++)
            rowWeights[s] = NabSweepScore.RowWeights(_corpus.Series[s], cost);
        var weights = new double[_sortedScores.Length];
        for (var k = 0; k < weights.Length; k++)
            weights[k] = rowWeights[_sortedSeries[k]][_sortedRows[k]];

        var windowBest = new double[_windowScorable.Length];
        for (var w = 0; w < windowBest.Length; w++)
            windowBest[w] = _windowScorable[w] ? -cost.FnWeight : 0.0;
        var windowsSum = Sum(windowBest);
        var falsePositives = 0.0;
        int tp = 0, fp = 0, fn = _rowsInWindows, tn = _sortedScores.Length - _rowsInWindows;

        var current = _startThreshold;
        double bestScore = windowsSum, bestThreshold = current;
        int bestTp = tp, bestTn = tn, bestFp = fp, bestFn = fn;
        for (var k = 0; k < _sortedScores.Length; k++)
        {
            var score = _sortedScores[k];
            if (score != current)
            {
                var total = falsePositives + windowsSum;
                if (total > bestScore)
                    (bestScore, bestThreshold, bestTp, bestTn, bestFp, bestFn) = (total, current, tp, tn, fp, fn);
                current = score;
            }

            var window = _sortedWindows[k];
            if (window >= 0)
            {
                tp++;
                fn--;
                if (weights[k] > windowBest[window])
                {
                    windowBest[window] = weights[k];
                    // Re-summed rather than updated by differences, so equal states give bit-equal totals (ties).
                    windowsSum = Sum(windowBest);
                }
            }
            else
            {
                fp++;
                tn--;
                falsePositives += weights[k];
            }
        }

        var last = falsePositives + windowsSum;
        if (last > bestScore)
            (bestScore, bestThreshold, bestTp, bestTn, bestFp, bestFn) = (last, current, tp, tn, fp, fn);
        return new NabThresholdChoice(bestThreshold, bestScore, bestTp, bestTn, bestFp, bestFn);
    }

    private static double Sum(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
            sum += v;
        return sum;
    }

    /// <summary>Score descending, then corpus position ascending: a total order, so the sweep is deterministic.</summary>
    private sealed class HighestScoreFirst(double[] scores) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var byScore = scores[y].CompareTo(scores[x]);
            return byScore != 0 ? byScore : x.CompareTo(y);
        }
    }
}
