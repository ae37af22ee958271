namespace Vigil.Grains.Devices;

/// <summary>
/// Per-channel running mean and variance (Welford) for stream normalisation. After <see cref="MaxWeightCount"/>
/// readings the update weight stops shrinking, so the statistics follow slow drift (a season, a new thermostat
/// setting) instead of freezing on the device's first week. Once warm, a value is folded in clipped to
/// <see cref="ClipSigma"/> standard deviations: one spike must not inflate the variance so much that the next
/// windows look normal (a lasting level shift is still learned, a few σ per reading).
/// </summary>
[GenerateSerializer, Alias("vigil.running-stats")]
public sealed class RunningStats
{
    public const int MaxWeightCount = 2000;

    /// <summary>Below this standard deviation a channel counts as flat; dividing by less would turn noise into anomalies.</summary>
    public const double MinStd = 1e-3;

    public const int WarmCount = 30;

    public const double ClipSigma = 6;

    [Id(0)] public long Count { get; set; }
    [Id(1)] public double[] Mean { get; set; } = [];
    [Id(2)] public double[] Variance { get; set; } = [];

    public static RunningStats Create(int channels) => new() { Mean = new double[channels], Variance = new double[channels] };

    public void Update(ReadOnlySpan<float> values)
    {
        var warm = Count >= WarmCount;
        Count++;
        var weight = 1.0 / Math.Min(Count, MaxWeightCount);
        for (var c = 0; c < values.Length; c++)
        {
            var limit = ClipSigma * Math.Max(Math.Sqrt(Variance[c]), MinStd);
            var delta = warm ? Math.Clamp(values[c] - Mean[c], -limit, limit) : values[c] - Mean[c];
            Mean[c] += weight * delta;
            Variance[c] = Count == 1 ? 0 : (1 - weight) * (Variance[c] + weight * delta * delta);
        }
    }

    public float Normalise(float value, int channel) =>
        (float)((value - Mean[channel]) / Math.Max(Math.Sqrt(Variance[channel]), MinStd));
}
