using Vigil.Contracts;

namespace Vigil.Grains.Tests.Support;

internal static class Readings
{
    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-22T10:00:00Z");

    /// <summary>Readings <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/>-1, one per second, value f(i).</summary>
    public static ReadingBatch Batch(int from, int count, Func<int, float> value) =>
        new([.. Enumerable.Range(from, count).Select(i => new Reading(Start.AddSeconds(i), [value(i)]))]);

    /// <summary>A calm signal: a slow sine with deterministic pseudo-noise.</summary>
    public static float Calm(int i) => 20 + MathF.Sin(i / 10f) + 0.3f * MathF.Sin(i * 12.9898f) * MathF.Cos(i * 78.233f);
}
