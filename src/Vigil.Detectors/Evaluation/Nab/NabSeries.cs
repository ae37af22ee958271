namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// One NAB data file: its rows, its label windows and its probationary length.
/// <see cref="RelativePath"/> is NAB's key for the file: <c>category/name.csv</c> with forward slashes.
/// </summary>
public sealed class NabSeries
{
    /// <summary>NAB's probationary share of a file: its first 15 % (at most 750 rows) are not scored.</summary>
    public const double ProbationPercent = 0.15;

    public NabSeries(string relativePath, DateTime[] timestamps, double[] values, IReadOnlyList<NabWindow> windows)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (timestamps.Length != values.Length)
            throw new ArgumentException($"{relativePath}: {timestamps.Length} timestamps but {values.Length} values.");
        foreach (var w in windows)
            if (w.Start < 0 || w.End < w.Start || w.End >= timestamps.Length)
                throw new ArgumentException($"{relativePath}: window [{w.Start}, {w.End}] does not fit {timestamps.Length} rows.");

        RelativePath = relativePath;
        var slash = relativePath.IndexOf('/');
        Category = slash > 0 ? relativePath[..slash] : "";
        Name = relativePath[(slash + 1)..];
        Timestamps = timestamps;
        Values = values;
        Windows = windows;
        ProbationaryLength = ProbationaryLengthFor(timestamps.Length);
    }

    public string RelativePath { get; }

    /// <summary>The folder under <c>data/</c>, e.g. <c>realTraffic</c>.</summary>
    public string Category { get; }

    /// <summary>The file name, e.g. <c>speed_7578.csv</c>.</summary>
    public string Name { get; }

    public DateTime[] Timestamps { get; }

    public double[] Values { get; }

    /// <summary>Label windows in time order, not overlapping.</summary>
    public IReadOnlyList<NabWindow> Windows { get; }

    /// <summary>Rows <c>0 .. ProbationaryLength-1</c> are the detector's to learn on and are never scored.</summary>
    public int ProbationaryLength { get; }

    public int RowCount => Timestamps.Length;

    /// <summary>
    /// NAB's <c>min(floor(0.15·n), 0.15·5000)</c>. NAB compares the row index with the float 750.0; for an integer
    /// row index that is the same as the integer bound used here.
    /// </summary>
    public static int ProbationaryLengthFor(int rowCount) =>
        (int)Math.Min(Math.Floor(ProbationPercent * rowCount), ProbationPercent * 5000);

    /// <summary>1 for rows inside a label window, else 0 (NAB's <c>label</c> column).</summary>
    public int[] Labels()
    {
        var labels = new int[RowCount];
        foreach (var w in Windows)
            Array.Fill(labels, 1, w.Start, w.Width);
        return labels;
    }
}
