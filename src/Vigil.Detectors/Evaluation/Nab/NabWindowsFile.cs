using System.Text.Json;

namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// NAB's <c>combined_windows.json</c> (<c>{"category/name.csv": [["start", "end"], ...]}</c>) read with the line
/// of every entry kept, so that a window naming a timestamp its data file lacks can be reported at its line.
/// </summary>
internal sealed class NabWindowsFile
{
    private NabWindowsFile(string displayPath, Dictionary<string, Entry> entries)
    {
        DisplayPath = displayPath;
        Entries = entries;
    }

    public sealed record RawWindow(string Start, string End, int Line);

    public sealed record Entry(string RelativePath, int Line, IReadOnlyList<RawWindow> Windows);

    public string DisplayPath { get; }

    public Dictionary<string, Entry> Entries { get; }

    public static NabWindowsFile Read(string path, string displayPath)
    {
        if (!File.Exists(path))
            throw new NabDataException(displayPath, null, "file not found.");
        var bytes = File.ReadAllBytes(path);
        var lines = new LineIndex(bytes);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the file must be one JSON object", displayPath, lines);
            while (true)
            {
                Next(ref reader, displayPath, lines);
                if (reader.TokenType == JsonTokenType.EndObject)
                    break;
                var keyLine = lines.LineOf(reader.TokenStartIndex);
                var key = reader.GetString()!;
                Expect(ref reader, JsonTokenType.StartArray, $"'{key}' must map to a list of windows", displayPath, lines);
                var windows = new List<RawWindow>();
                while (true)
                {
                    Next(ref reader, displayPath, lines);
                    if (reader.TokenType == JsonTokenType.EndArray)
                        break;
                    var windowLine = lines.LineOf(reader.TokenStartIndex);
                    if (reader.TokenType != JsonTokenType.StartArray)
                        throw new NabDataException(displayPath, windowLine, $"a window of '{key}' must be a [start, end] pair.");
                    var start = ReadTimestampString(ref reader, key, displayPath, lines);
                    var end = ReadTimestampString(ref reader, key, displayPath, lines);
                    Expect(ref reader, JsonTokenType.EndArray, $"a window of '{key}' must be a [start, end] pair", displayPath, lines);
                    windows.Add(new RawWindow(start, end, windowLine));
                }

                var relative = key.Replace('\\', '/');
                if (!entries.TryAdd(relative, new Entry(relative, keyLine, windows)))
                    throw new NabDataException(displayPath, keyLine, $"'{key}' is listed twice.");
            }
        }
        catch (JsonException e)
        {
            throw new NabDataException(displayPath, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON ({e.Message}).", e);
        }

        return new NabWindowsFile(displayPath, entries);
    }

    private static string ReadTimestampString(ref Utf8JsonReader reader, string key, string displayPath, LineIndex lines)
    {
        Next(ref reader, displayPath, lines);
        if (reader.TokenType != JsonTokenType.String)
            throw new NabDataException(displayPath, lines.LineOf(reader.TokenStartIndex),
                $"a window of '{key}' must be a pair of timestamp strings.");
        return reader.GetString()!;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what, string displayPath, LineIndex lines)
    {
        Next(ref reader, displayPath, lines);
        if (reader.TokenType != type)
            throw new NabDataException(displayPath, lines.LineOf(reader.TokenStartIndex), $"{what}.");
    }

    private static void Next(ref Utf8JsonReader reader, string displayPath, LineIndex lines)
    {
        if (!reader.Read())
            throw new NabDataException(displayPath, lines.LineOf(reader.BytesConsumed), "the JSON ends too early.");
    }

    /// <summary>Maps a byte offset to its 1-based line (Utf8JsonReader only reports lines in exceptions).</summary>
    private sealed class LineIndex
    {
        private readonly List<long> _lineStarts = [0];

        public LineIndex(byte[] bytes)
        {
            for (var i = 0; i < bytes.Length; i++)
                if (bytes[i] == (byte)'\n')
                    _lineStarts.Add(i + 1);
        }

        public int LineOf(long offset)
        {
            var index = _lineStarts.BinarySearch(offset);
            return (index >= 0 ? index : ~index - 1) + 1;
        }
    }
}
