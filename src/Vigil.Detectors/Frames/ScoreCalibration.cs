namespace Vigil.Detectors.Frames;

/// <summary>
/// Maps a raw tile value (≥ 0, larger = more anomalous) to a score in [0, 1]:
/// <c>score = 1 / (1 + exp(−(raw − Threshold) / Scale))</c>. The threshold (score 0.5) is the quantile of normal
/// calibration tiles at which a frame of <c>tilesPerFrame</c> normal tiles is flagged with probability
/// <c>frameFalseAlarmRate</c>; the scale puts the median normal tile at score 0.05. Monotonic, so the frame's max
/// tile score is the score of its max raw value.
/// </summary>
public sealed record ScoreCalibration(double Threshold, double Scale, string Rule)
{
    public double Score(double raw)
    {
        var z = (raw - Threshold) / Scale;
        return z > 40 ? 1 : z < -40 ? 0 : 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Share of normal frames a calibration lets reach score 0.5, unless training says otherwise.</summary>
    public const double DefaultFrameFalseAlarmRate = 0.01;

    public static ScoreCalibration Fit(IReadOnlyList<float> normalRaw, int tilesPerFrame, double frameFalseAlarmRate = DefaultFrameFalseAlarmRate)
    {
        if (normalRaw.Count < 10)
            throw new ArgumentException($"Calibration needs at least 10 normal tiles, got {normalRaw.Count}.");
        if (normalRaw.Any(v => !float.IsFinite(v)))
            throw new ArgumentException("Calibration values must be finite.");
        var sorted = normalRaw.Select(v => (double)v).Order().ToArray();
        var q = TileQuantile(tilesPerFrame, frameFalseAlarmRate);
        var threshold = Quantile(sorted, q);
        var median = Quantile(sorted, 0.5);
        var scale = Math.Max((threshold - median) / Math.Log(19), 1e-6);
        return new ScoreCalibration(threshold, scale,
            $"{q * 100:0.###}th percentile of {sorted.Length} held-out normal tiles (frame false-alarm rate {frameFalseAlarmRate:P1} over {tilesPerFrame} tiles); " +
            "score = logistic((raw − threshold) / scale), median normal tile → 0.05");
    }

    /// <summary>Per-tile quantile q with q^tiles = 1 − α: a normal frame's max tile passes it with probability α.</summary>
    private static double TileQuantile(int tilesPerFrame, double frameFalseAlarmRate) =>
        Math.Pow(1 - frameFalseAlarmRate, 1.0 / tilesPerFrame);

    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
