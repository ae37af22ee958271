namespace Vigil.Detectors;

/// <summary>
/// Subsets that keep the spread of a list: training data is often ordered (series by time, an IDX split class by
/// class), so its first N items would not be a sample of it.
/// </summary>
public static class Sampling
{
    /// <summary>At most <paramref name="max"/> items, evenly spaced from the first; all of them when there are no more.</summary>
    public static List<T> EvenlySpaced<T>(IReadOnlyList<T> items, int max)
    {
        if (items.Count <= max) return items.ToList();
        var step = (double)items.Count / max;
        return Enumerable.Range(0, max).Select(i => items[(int)(i * step)]).ToList();
    }
}
