using System.Globalization;

namespace Vigil.Detectors.Series;

/// <summary>A time series as read from CSV: timestamps and <c>Rows × Channels</c> values, row-major.</summary>
public sealed record SeriesData(string Path, DateTime[] Timestamps, float[] Values, int Channels, string[] ChannelNames)
{
    public int Rows => Timestamps.Length;

    public float this[int row, int channel] => Values[row * Channels + channel];

    /// <summary>The first <paramref name="rows"/> rows (e.g. NAB's probationary part).</summary>
    public SeriesData Head(int rows) =>
        this with { Timestamps = Timestamps[..rows], Values = Values[..(rows * Channels)] };
}

/// <summary>
/// Reads <c>timestamp,value[,value...]</c> CSV files strictly: every problem is an <see cref="InvalidDataException"/>
/// naming the file and the 1-based line, and nothing is skipped silently.
/// </summary>
public static class SeriesCsv
{
    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-dd"];

    public static SeriesData Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: file not found.");
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header)) throw new InvalidDataException($"{path}: the file is empty (expected a header 'timestamp,value').");
        var columns = header.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
        if (columns.Length < 2 || !columns[0].Equals("timestamp", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{path}, line 1: expected the columns 'timestamp,value[,value...]', found '{header}'.");
        var channels = columns.Length - 1;

        var timestamps = new List<DateTime>();
        var values = new List<float>();
        var lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue; // a trailing newline, not a row
            var fields = line.Split(',');
            if (fields.Length != columns.Length)
                throw new InvalidDataException($"{path}, line {lineNumber}: {fields.Length} fields, the header has {columns.Length} ('{line}').");
            if (!DateTime.TryParseExact(fields[0].Trim().Trim('"'), TimestampFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
                throw new InvalidDataException($"{path}, line {lineNumber}: unparsable timestamp '{fields[0]}' (expected 'yyyy-MM-dd HH:mm:ss' or ISO 8601).");
            // Equal timestamps are accepted (NAB's own files repeat one at clock changes); going back is refused.
            if (timestamps.Count > 0 && t < timestamps[^1])
                throw new InvalidDataException($"{path}, line {lineNumber}: timestamp {fields[0]} goes back before the previous row's.");
            for (var c = 1; c < fields.Length; c++)
            {
                if (!double.TryParse(fields[c].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new InvalidDataException($"{path}, line {lineNumber}: column '{columns[c]}' value '{fields[c]}' is not a number.");
                if (!double.IsFinite(v) || Math.Abs(v) > float.MaxValue)
                    throw new InvalidDataException($"{path}, line {lineNumber}: column '{columns[c]}' value '{fields[c]}' is not finite.");
                values.Add((float)v);
            }
            timestamps.Add(t);
        }
        if (timestamps.Count == 0) throw new InvalidDataException($"{path}: no data rows after the header.");
        return new SeriesData(path, timestamps.ToArray(), values.ToArray(), channels, columns[1..]);
    }

    /// <summary>A CSV file, or every <c>*.csv</c> under a folder (sorted, recursive). All must have the same channel count.</summary>
    public static IReadOnlyList<SeriesData> ReadAll(string fileOrFolder)
    {
        string[] files;
        if (File.Exists(fileOrFolder)) files = [fileOrFolder];
        else if (Directory.Exists(fileOrFolder))
            files = Directory.GetFiles(fileOrFolder, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        else throw new InvalidDataException($"{fileOrFolder}: no such file or folder.");
        if (files.Length == 0) throw new InvalidDataException($"{fileOrFolder}: no .csv files in this folder.");

        var series = files.Select(Read).ToList();
        var mismatch = series.FirstOrDefault(s => s.Channels != series[0].Channels);
        if (mismatch is not null)
            throw new InvalidDataException($"{mismatch.Path}: {mismatch.Channels} value columns, but {series[0].Path} has {series[0].Channels}; one model needs one channel count.");
        return series;
    }
}
