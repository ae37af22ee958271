namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// The NAB data set a detector is scored on: every <c>data/**/*.csv</c> under a NAB folder with its label windows from
/// <c>combined_windows.json</c>. Series are ordered by relative path (ordinal), which fixes the order of every sum.
/// </summary>
public sealed class NabCorpus
{
    public const string WindowsFileName = "combined_windows.json";

    private readonly Dictionary<string, NabSeries> _byPath;

    public NabCorpus(string root, IEnumerable<NabSeries> series, IReadOnlyList<string>? labelledFilesWithoutData = null)
    {
        Root = root;
        Series = series.OrderBy(s => s.RelativePath, StringComparer.Ordinal).ToArray();
        _byPath = new Dictionary<string, NabSeries>(StringComparer.Ordinal);
        foreach (var s in Series)
            if (!_byPath.TryAdd(s.RelativePath, s))
                throw new ArgumentException($"Series '{s.RelativePath}' is given twice.", nameof(series));
        Categories = Series.Select(s => s.Category).Distinct().ToArray();
        LabelledFilesWithoutData = labelledFilesWithoutData ?? [];
    }

    /// <summary>The NAB folder (holding <c>data/</c>, <c>combined_windows.json</c>, <c>profiles.json</c>).</summary>
    public string Root { get; }

    public IReadOnlyList<NabSeries> Series { get; }

    /// <summary>Category folders in ordinal order.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>
    /// Entries of <c>combined_windows.json</c> with no file under <c>data/</c> (labels of series kept back from this
    /// copy). NAB skips them too; they do not count towards the perfect score here (see <see cref="NabNormalisation"/>).
    /// </summary>
    public IReadOnlyList<string> LabelledFilesWithoutData { get; }

    public int WindowCount => Series.Sum(s => s.Windows.Count);

    public int RowCount => Series.Sum(s => s.RowCount);

    public NabSeries this[string relativePath] =>
        _byPath.TryGetValue(relativePath, out var s)
            ? s
            : throw new KeyNotFoundException($"'{relativePath}' is not a series of the NAB corpus at {Root}.");

    public bool TryGetSeries(string relativePath, out NabSeries series) =>
        _byPath.TryGetValue(relativePath, out series!);

    /// <summary>
    /// Loads <c>data/**/*.csv</c> and <c>combined_windows.json</c> from <paramref name="nabRoot"/>. Any unreadable row,
    /// a data file without a label entry, or a window naming a timestamp its file lacks is a
    /// <see cref="NabDataException"/> naming the file and line; nothing is skipped.
    /// </summary>
    public static NabCorpus Load(string nabRoot)
    {
        var dataDir = Path.Combine(nabRoot, "data");
        if (!Directory.Exists(dataDir))
            throw new NabDataException(dataDir, null, "folder not found (a NAB folder holds data/<category>/<name>.csv).");
        var windowsFile = NabWindowsFile.Read(Path.Combine(nabRoot, WindowsFileName), Path.Combine(nabRoot, WindowsFileName));

        var files = Directory.EnumerateFiles(dataDir, "*.csv", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Path.GetRelativePath(dataDir, f).Replace(Path.DirectorySeparatorChar, '/')))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
            throw new NabDataException(dataDir, null, "no .csv files found.");

        var series = new List<NabSeries>(files.Length);
        foreach (var (full, relative) in files)
        {
            if (!windowsFile.Entries.TryGetValue(relative, out var entry))
                throw new NabDataException(windowsFile.DisplayPath, null,
                    $"no entry for '{relative}' (every file under data/ needs one; [] when it has no anomaly).");
            series.Add(LoadSeries(full, relative, entry, windowsFile.DisplayPath));
        }

        var dataPaths = files.Select(f => f.Relative).ToHashSet(StringComparer.Ordinal);
        var withoutData = windowsFile.Entries.Keys.Where(k => !dataPaths.Contains(k)).Order(StringComparer.Ordinal).ToArray();
        return new NabCorpus(nabRoot, series, withoutData);
    }

    private static NabSeries LoadSeries(string fullPath, string relativePath, NabWindowsFile.Entry entry, string windowsPath)
    {
        var csv = NabCsv.Read(fullPath, fullPath);
        var timeColumn = csv.Column("timestamp");
        var valueColumn = csv.Column("value");
        var timestamps = new DateTime[csv.Rows.Count];
        var values = new double[csv.Rows.Count];
        for (var i = 0; i < csv.Rows.Count; i++)
        {
            var row = csv.Rows[i];
            timestamps[i] = csv.Timestamp(row, timeColumn);
            values[i] = csv.FiniteNumber(row, valueColumn);
            // NAB's data repeats a timestamp here and there (clock changes); going back in time is an error.
            if (i > 0 && timestamps[i] < timestamps[i - 1])
                throw new NabDataException(fullPath, row.Line,
                    $"timestamp {timestamps[i]:yyyy-MM-dd HH:mm:ss} is earlier than the row before ({timestamps[i - 1]:yyyy-MM-dd HH:mm:ss}).");
        }

        var windows = new List<NabWindow>(entry.Windows.Count);
        foreach (var raw in entry.Windows)
        {
            var start = RowOf(raw.Start, timestamps, relativePath, raw.Line, windowsPath);
            var end = RowOf(raw.End, timestamps, relativePath, raw.Line, windowsPath);
            if (end < start)
                throw new NabDataException(windowsPath, raw.Line, $"window of '{relativePath}' ends ({raw.End}) before it starts ({raw.Start}).");
            if (windows.Count > 0 && start <= windows[^1].End)
                throw new NabDataException(windowsPath, raw.Line,
                    $"window [{raw.Start}, {raw.End}] of '{relativePath}' overlaps or precedes the window before it.");
            windows.Add(new NabWindow(start, end));
        }

        return new NabSeries(relativePath, timestamps, values, windows);
    }

    /// <summary>
    /// The first row holding the timestamp, as NAB's <c>timestamps.index(t)</c>; timestamps are non-decreasing, so a
    /// binary search finds it.
    /// </summary>
    private static int RowOf(string text, DateTime[] timestamps, string relativePath, int line, string windowsPath)
    {
        if (!NabCsv.TryParseTimestamp(text.Trim(), out var t))
            throw new NabDataException(windowsPath, line, $"'{text}' (window of '{relativePath}') is not a timestamp.");
        int lo = 0, hi = timestamps.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (timestamps[mid] < t) lo = mid + 1;
            else hi = mid;
        }

        if (lo == timestamps.Length || timestamps[lo] != t)
            throw new NabDataException(windowsPath, line,
                $"window timestamp '{text}' is not a row of data/{relativePath} " +
                $"({timestamps.Length} rows, {timestamps[0]:yyyy-MM-dd HH:mm:ss} to {timestamps[^1]:yyyy-MM-dd HH:mm:ss}).");
        return lo;
    }
}
