using Vigil.Contracts;

namespace Vigil.Grains.Devices;

/// <summary>
/// The last scorings of a device or camera, as parallel arrays (a list of records would triple the persisted size);
/// times as ages before the newest (see <see cref="ReadingRing"/>), scores rounded to 4 decimals, raw errors to 5
/// significant digits: display history, where more digits would only cost bytes.
/// </summary>
[GenerateSerializer, Alias("vigil.score-log")]
public sealed class ScoreLog
{
    [Id(0)] public int Count { get; set; }
    [Id(1)] public int Head { get; set; }
    [Id(2)] public long NewestMs { get; set; }
    [Id(6)] public long[] AgesMs { get; set; } = [];
    [Id(3)] public float[] RawErrors { get; set; } = [];
    [Id(4)] public float[] Scores { get; set; } = [];
    [Id(5)] public float[] Thresholds { get; set; } = [];

    public static ScoreLog Create(int capacity) =>
        new() { AgesMs = new long[capacity], RawErrors = new float[capacity], Scores = new float[capacity], Thresholds = new float[capacity] };

    public void Add(ScorePoint point)
    {
        var t = point.T.ToUnixTimeMilliseconds();
        if (Count > 0)
        {
            var shift = t - NewestMs;
            for (var i = 0; i < Count; i++)
                AgesMs[SlotOf(i)] += shift;
        }
        NewestMs = t;
        AgesMs[Head] = 0;
        RawErrors[Head] = Significant(point.RawError);
        Scores[Head] = MathF.Round(point.Score, 4);
        Thresholds[Head] = MathF.Round(point.Threshold, 4);
        Head = (Head + 1) % AgesMs.Length;
        if (Count < AgesMs.Length) Count++;
    }

    /// <summary>Oldest first.</summary>
    public ScorePoint[] ToArray()
    {
        var points = new ScorePoint[Count];
        for (var i = 0; i < Count; i++)
        {
            var slot = SlotOf(i);
            points[i] = new ScorePoint(DateTimeOffset.FromUnixTimeMilliseconds(NewestMs - AgesMs[slot]), RawErrors[slot], Scores[slot], Thresholds[slot]);
        }
        return points;
    }

    private int SlotOf(int index) => (Head - Count + index + 2 * AgesMs.Length) % AgesMs.Length;

    private static float Significant(float value)
    {
        if (value == 0 || !float.IsFinite(value)) return value;
        var digits = 5 - (int)Math.Floor(Math.Log10(Math.Abs(value))) - 1;
        return digits is >= 0 and <= 15 ? (float)Math.Round(value, digits) : value;
    }
}
