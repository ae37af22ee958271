using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Contracts;

namespace Vigil.Silo.Ingestion;

/// <summary>
/// One reading as the API accepts it: <c>{"t":"2026-11-22T10:00:00Z","v":21.5}</c> or <c>"v":[21.5,40.1]</c>.
/// Every error names where it is (<c>readings[3].v[1]</c>, <c>line 7</c>) and what is wrong.
/// </summary>
internal static partial class ReadingJson
{
    /// <summary>More channels than any home device has; bounds the array a reading may allocate.</summary>
    public const int MaxChannels = 32;

    /// <summary>Deep enough for any valid body (object → array → object → array); deeper is hostile.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    public static Reading Parse(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInputException($"{where} must be an object like {{\"t\":\"2026-11-22T10:00:00Z\",\"v\":21.5}}, not {Describe(element)}.");
        }

        if (!element.TryGetProperty("t", out var t))
        {
            throw new InvalidInputException($"{where}.t is missing (an ISO 8601 time with offset, e.g. 2026-11-22T10:00:00Z).");
        }

        if (!element.TryGetProperty("v", out var v))
        {
            throw new InvalidInputException($"{where}.v is missing (a number, or an array of numbers, one per channel).");
        }

        return new Reading(ParseTime(t, $"{where}.t"), ParseValues(v, $"{where}.v"));
    }

    public static DateTimeOffset ParseTime(JsonElement t, string where)
    {
        if (t.ValueKind != JsonValueKind.String)
        {
            throw new InvalidInputException($"{where} must be a string (ISO 8601 with offset), not {Describe(t)}.");
        }

        var text = ReadString(t, where);
        return TryParseTime(text, out var parsed)
            ? parsed
            : throw new InvalidInputException($"{where} '{Truncate(text)}' is not an ISO 8601 time with offset (e.g. 2026-11-22T10:00:00Z).");
    }

    /// <summary>
    /// ISO 8601 with an offset, nothing else. An offset is required: a local time without one would be read
    /// differently on every silo. Shared by readings (<c>"t"</c>) and frames (<c>?t=</c>).
    /// </summary>
    public static bool TryParseTime(string text, out DateTimeOffset parsed)
    {
        parsed = default;
        return text.Length <= 40 && Iso8601WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed);
    }

    /// <summary>
    /// A JSON string's text. A string may hold invalid UTF-8 bytes or escape a lone UTF-16 surrogate (<c>"\ud800"</c>);
    /// the document parses, but System.Text.Json refuses to decode that string with an InvalidOperationException,
    /// here a 400 naming the place.
    /// </summary>
    public static string ReadString(JsonElement element, string where)
    {
        try
        {
            return element.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            throw new InvalidInputException($"{where} is not valid text (invalid UTF-8, or an escaped lone UTF-16 surrogate).");
        }
    }

    public static string RequireId(JsonElement element, string property, string where)
    {
        if (!element.TryGetProperty(property, out var id))
        {
            throw new InvalidInputException($"{where}: \"{property}\" is missing.");
        }

        if (id.ValueKind != JsonValueKind.String)
        {
            throw new InvalidInputException($"{where}: \"{property}\" must be a string, not {Describe(id)}.");
        }

        var text = ReadString(id, $"{where}: \"{property}\"");
        return GrainKeys.Check(text) is { } problem
            ? throw new InvalidInputException($"{where}: {property} id '{Truncate(text)}' {problem}.")
            : text;
    }

    private static float[] ParseValues(JsonElement v, string where)
    {
        if (v.ValueKind == JsonValueKind.Array)
        {
            var count = v.GetArrayLength();
            if (count is 0 or > MaxChannels)
            {
                throw new InvalidInputException($"{where} has {count} values; a reading has 1 to {MaxChannels} channels.");
            }

            var values = new float[count];
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                values[i] = ParseValue(item, $"{where}[{i}]");
                i++;
            }

            return values;
        }

        return [ParseValue(v, where)];
    }

    private static float ParseValue(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            // "NaN" and "Infinity" arrive as strings (JSON has no literal for them); say so plainly.
            var hint = value.ValueKind == JsonValueKind.String && IsNonFiniteName(TextOrNull(value))
                ? " (NaN and infinity are not accepted)"
                : "";
            throw new InvalidInputException($"{where} must be a finite number, not {Describe(value)}{hint}.");
        }

        // Stored as float: a double beyond float's range would become infinity there.
        if (!value.TryGetDouble(out var d) || !double.IsFinite(d) || !float.IsFinite((float)d))
        {
            throw new InvalidInputException($"{where} {Truncate(value.GetRawText())} is not a finite 32-bit number.");
        }

        return (float)d;
    }

    /// <summary>For messages only: the string's text, or null when it cannot be decoded (see <see cref="ReadString"/>).</summary>
    private static string? TextOrNull(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static bool IsNonFiniteName(string? s) =>
        s is not null && (s.Contains("nan", StringComparison.OrdinalIgnoreCase) || s.Contains("inf", StringComparison.OrdinalIgnoreCase));

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => TextOrNull(element) is { } text ? $"the string \"{Truncate(text)}\"" : "a string that is not valid text",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Truncate(element.GetRawText()),
    };

    /// <summary>Echoes at most a little of what was sent, so a hostile value does not fill the answer or the log.</summary>
    internal static string Truncate(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "…");

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Iso8601WithOffset();
}
