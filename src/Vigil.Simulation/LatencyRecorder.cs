namespace Vigil.Simulation;

/// <summary>Thread-safe latency samples (ms) with percentiles; bounded so a long run cannot grow without limit.</summary>
public sealed class LatencyRecorder(int capacity = 1_000_000)
{
    private readonly double[] _samples = new double[capacity];
    private long _count;

    public long Count => Math.Min(Interlocked.Read(ref _count), _samples.Length);

    public void Record(double milliseconds)
    {
        long i = Interlocked.Increment(ref _count) - 1;
        // Past capacity, keep a uniform sample (reservoir) rather than only the first or last part of the run.
        if (i < _samples.Length) _samples[i] = milliseconds;
        else
        {
            long j = Random.Shared.NextInt64(i + 1);
            if (j < _samples.Length) _samples[j] = milliseconds;
        }
    }

    /// <summary>Nearest-rank percentile, <paramref name="p"/> in [0, 100]; NaN without samples.</summary>
    public double Percentile(double p)
    {
        int n = (int)Count;
        if (n == 0) return double.NaN;
        var sorted = _samples.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(p / 100 * n);
        return sorted[Math.Clamp(rank - 1, 0, n - 1)];
    }
}
