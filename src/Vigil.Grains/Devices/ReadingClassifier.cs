using Vigil.Contracts;

namespace Vigil.Grains.Devices;

/// <summary>
/// Decides, reading by reading and in order, what a batch does to a device's window (the rules are documented on
/// <see cref="IngestResult"/>). Pure: it reads the ring and changes nothing, so a batch with any rejection can be
/// refused whole.
/// </summary>
internal static class ReadingClassifier
{
    public sealed record Classification(List<(long TimeMs, float[] Values)> Accepted, int Duplicates, int Late, List<ReadingRejection> Rejections);

    public static Classification Classify(ReadingRing? ring, IReadOnlyList<Reading> readings, TimeSpan reorderTolerance)
    {
        var accepted = new List<(long, float[])>(readings.Count);
        var rejections = new List<ReadingRejection>();
        int duplicates = 0, late = 0;
        var channels = ring?.Channels ?? 0;
        var lastMs = ring?.LastTime() ?? long.MinValue;
        var toleranceMs = (long)reorderTolerance.TotalMilliseconds;

        for (var i = 0; i < readings.Count; i++)
        {
            var r = readings[i];
            if (r is null || r.V is null || r.V.Length == 0)
            {
                rejections.Add(new ReadingRejection(i, r?.T ?? default, "has no values"));
                continue;
            }
            if (channels == 0)
                channels = r.V.Length;
            if (r.V.Length != channels)
            {
                rejections.Add(new ReadingRejection(i, r.T, $"has {r.V.Length} values; this device has {channels} channel(s)"));
                continue;
            }
            var bad = Array.FindIndex(r.V, v => !float.IsFinite(v));
            if (bad >= 0)
            {
                rejections.Add(new ReadingRejection(i, r.T, $"value {bad} is {r.V[bad]} (values must be finite)"));
                continue;
            }

            var ms = r.T.ToUnixTimeMilliseconds();
            if (ms > lastMs)
            {
                accepted.Add((ms, r.V));
                lastMs = ms;
                continue;
            }
            if (StoredValuesAt(ring, accepted, ms) is { } stored)
            {
                if (stored.AsSpan().SequenceEqual(r.V))
                    duplicates++;
                else
                    rejections.Add(new ReadingRejection(i, r.T, "repeats the timestamp of a stored reading with different values"));
                continue;
            }
            if (lastMs - ms <= toleranceMs)
            {
                late++;
                continue;
            }
            rejections.Add(new ReadingRejection(i, r.T,
                $"is {TimeSpan.FromMilliseconds(lastMs - ms)} older than the last reading ({DateTimeOffset.FromUnixTimeMilliseconds(lastMs):O}); " +
                $"timestamps must increase (tolerance {reorderTolerance})"));
        }
        return new Classification(accepted, duplicates, late, rejections);
    }

    private static float[]? StoredValuesAt(ReadingRing? ring, List<(long TimeMs, float[] Values)> accepted, long ms)
    {
        foreach (var (t, v) in accepted)
            if (t == ms) return v;
        if (ring is null) return null;
        var index = ring.IndexOf(ms);
        return index < 0 ? null : ring.ValuesAt(index).ToArray();
    }
}
