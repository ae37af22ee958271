using System.Globalization;

namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// Reads NAB's plain CSV files (no quoting: NAB writes none) row by row with 1-based line numbers, so that every
/// parse error can name its file and line. Blank lines are allowed only at the end of a file.
/// </summary>
internal sealed class NabCsv
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
    ];

    private NabCsv(string displayPath, string[] header, List<Row> rows)
    {
        DisplayPath = displayPath;
        Header = header;
        Rows = rows;
    }

    public readonly record struct Row(int Line, string[] Fields);

    /// <summary>How the file is named in error messages.</summary>
    public string DisplayPath { get; }

    public string[] Header { get; }

    public List<Row> Rows { get; }

    public static NabCsv Read(string path, string displayPath)
    {
        if (!File.Exists(path))
            throw new NabDataException(displayPath, null, "file not found.");

        string[]? header = null;
        var rows = new List<Row>();
        var lineNumber = 0;
        int? pendingBlankLine = null;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.Trim().Length == 0)
            {
                pendingBlankLine ??= lineNumber;
                continue;
            }

            if (pendingBlankLine is { } blank)
                throw new NabDataException(displayPath, blank, "blank line before the end of the file.");

            var fields = line.Split(',');
            if (header is null)
            {
                header = fields.Select(f => f.Trim()).ToArray();
                continue;
            }

            if (fields.Length != header.Length)
                throw new NabDataException(displayPath, lineNumber,
                    $"{fields.Length} fields, but the header has {header.Length} ({string.Join(",", header)}).");
            rows.Add(new Row(lineNumber, fields));
        }

        if (header is null)
            throw new NabDataException(displayPath, 1, "the file is empty (no header).");
        if (rows.Count == 0)
            throw new NabDataException(displayPath, 2, "the file has a header but no rows.");
        return new NabCsv(displayPath, header, rows);
    }

    /// <summary>Index of a required column; a missing column is an error on line 1 (the header).</summary>
    public int Column(string name)
    {
        var index = Array.IndexOf(Header, name);
        if (index < 0)
            throw new NabDataException(DisplayPath, 1,
                $"missing column '{name}' (the header is: {string.Join(",", Header)}).");
        return index;
    }

    public int? OptionalColumn(string name)
    {
        var index = Array.IndexOf(Header, name);
        return index < 0 ? null : index;
    }

    public DateTime Timestamp(Row row, int column)
    {
        var text = row.Fields[column].Trim();
        if (TryParseTimestamp(text, out var value))
            return value;
        throw new NabDataException(DisplayPath, row.Line,
            $"'{text}' in column '{Header[column]}' is not a timestamp (expected YYYY-MM-DD HH:MM:SS).");
    }

    public double FiniteNumber(Row row, int column)
    {
        var text = row.Fields[column].Trim();
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new NabDataException(DisplayPath, row.Line, $"'{text}' in column '{Header[column]}' is not a number.");
        if (!double.IsFinite(value))
            throw new NabDataException(DisplayPath, row.Line,
                $"'{text}' in column '{Header[column]}' is not a finite number (NaN and infinities cannot be scored).");
        return value;
    }

    public static bool TryParseTimestamp(string text, out DateTime value) =>
        DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
}
