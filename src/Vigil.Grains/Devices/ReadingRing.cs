namespace Vigil.Grains.Devices;

/// <summary>
/// The last <see cref="Capacity"/> readings of a device, time-major (all channels of one reading together), as
/// flat arrays so the persisted state stays a few hundred bytes. Timestamps are Unix milliseconds (the precision
/// the ingest API promises: two readings in the same millisecond are the same instant), stored as the newest one
/// plus each slot's age: in the JSON grain storage writes, an age is 5 digits where a timestamp is 13, which halves
/// the window's share of the 4 KB budget.
/// </summary>
[GenerateSerializer, Alias("vigil.reading-ring")]
public sealed class ReadingRing
{
    [Id(0)] public int Capacity { get; set; }
    [Id(1)] public int Channels { get; set; }
    [Id(2)] public int Count { get; set; }

    /// <summary>Slot the next reading goes to.</summary>
    [Id(3)] public int Head { get; set; }

    [Id(4)] public long NewestMs { get; set; }

    /// <summary>Per slot: milliseconds before <see cref="NewestMs"/>.</summary>
    [Id(5)] public long[] AgesMs { get; set; } = [];

    [Id(6)] public float[] Values { get; set; } = [];

    public static ReadingRing Create(int capacity, int channels) =>
        new() { Capacity = capacity, Channels = channels, AgesMs = new long[capacity], Values = new float[capacity * channels] };

    public long LastTime() => Count == 0 ? long.MinValue : NewestMs;

    /// <summary>Appends a reading newer than every stored one (the classifier guarantees the order).</summary>
    public void Push(long timeMs, ReadOnlySpan<float> values)
    {
        if (Count > 0)
        {
            var shift = timeMs - NewestMs;
            for (var i = 0; i < Count; i++)
                AgesMs[Slot(i)] += shift;
        }
        NewestMs = timeMs;
        AgesMs[Head] = 0;
        values.CopyTo(Values.AsSpan(Head * Channels, Channels));
        Head = (Head + 1) % Capacity;
        if (Count < Capacity) Count++;
    }

    /// <summary>Age-order index (0 = oldest kept) of the reading at <paramref name="timeMs"/>, or -1.</summary>
    public int IndexOf(long timeMs)
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            var t = TimeAt(i);
            if (t == timeMs) return i;
            if (t < timeMs) return -1;
        }
        return -1;
    }

    public long TimeAt(int index) => NewestMs - AgesMs[Slot(index)];

    public ReadOnlySpan<float> ValuesAt(int index) => Values.AsSpan(Slot(index) * Channels, Channels);

    /// <summary>Grows the ring (keeping its readings) when a model needs a longer input than the configured window.</summary>
    public void EnsureCapacity(int capacity)
    {
        if (capacity <= Capacity) return;
        var grown = Create(capacity, Channels);
        for (var i = 0; i < Count; i++)
            grown.Push(TimeAt(i), ValuesAt(i));
        (Capacity, Count, Head, NewestMs, AgesMs, Values) = (grown.Capacity, grown.Count, grown.Head, grown.NewestMs, grown.AgesMs, grown.Values);
    }

    /// <summary>Slot of the reading with age-order <paramref name="index"/> (0 = oldest).</summary>
    private int Slot(int index) => (Head - Count + index + 2 * Capacity) % Capacity;
}
