namespace Vigil.Detectors.Frames;

/// <summary>Area under the ROC curve by the rank-sum (Mann–Whitney) formula; tied scores count one half.</summary>
public static class Auroc
{
    /// <param name="scores">Larger = more anomalous.</param>
    /// <param name="anomalous">True for the positives.</param>
    public static double Compute(IReadOnlyList<float> scores, IReadOnlyList<bool> anomalous)
    {
        if (scores.Count != anomalous.Count) throw new ArgumentException($"{scores.Count} scores but {anomalous.Count} labels.");
        var positives = anomalous.Count(a => a);
        var negatives = scores.Count - positives;
        if (positives == 0 || negatives == 0) throw new ArgumentException("AUROC needs both anomalous and normal items.");
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSum = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            var rank = (i + j) / 2.0 + 1; // average 1-based rank of the tie group
            for (var k = i; k <= j; k++) if (anomalous[order[k]]) rankSum += rank;
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
