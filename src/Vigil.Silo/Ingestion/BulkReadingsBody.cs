using System.Text.Json;
using Vigil.Contracts;

namespace Vigil.Silo.Ingestion;

/// <summary>The readings of one device in a bulk request, with the NDJSON line each came from.</summary>
internal sealed record DeviceBatch(string Home, string Device, Reading[] Readings, int[] Lines);

/// <summary>
/// NDJSON bulk body: one <c>{"home","device","t","v"}</c> per line. Every line is validated before anything is
/// applied; the answer lists bad lines by number.
/// </summary>
internal static class BulkReadingsBody
{
    /// <summary>Bad lines named in one answer; the rest are counted.</summary>
    private const int MaxReportedErrors = 20;

    public static IReadOnlyList<DeviceBatch> Parse(ReadOnlyMemory<byte> body, int maxLines)
    {
        var groups = new Dictionary<(string, string), (List<Reading> Readings, List<int> Lines)>();
        var order = new List<(string Home, string Device)>();
        var errors = new List<string>();
        var errorCount = 0;
        var lineNumber = 0;
        var span = body;

        while (!span.IsEmpty)
        {
            var end = span.Span.IndexOf((byte)'\n');
            var line = end < 0 ? span : span[..end];
            span = end < 0 ? ReadOnlyMemory<byte>.Empty : span[(end + 1)..];
            lineNumber++;

            if (line.Span.Trim(" \t\r"u8).IsEmpty)
            {
                continue;
            }

            if (lineNumber > maxLines)
            {
                throw new InvalidInputException($"The body has more than {maxLines} lines; split it into several requests.");
            }

            try
            {
                var (home, device, reading) = ParseLine(line, lineNumber);
                if (!groups.TryGetValue((home, device), out var group))
                {
                    group = ([], []);
                    groups.Add((home, device), group);
                    order.Add((home, device));
                }
                else if (group.Readings[0].V.Length != reading.V.Length)
                {
                    throw new InvalidInputException(
                        $"line {lineNumber}: v has {reading.V.Length} channel(s) but line {group.Lines[0]} gave {home}/{device} {group.Readings[0].V.Length}.");
                }

                group.Readings.Add(reading);
                group.Lines.Add(lineNumber);
            }
            catch (InvalidInputException e)
            {
                errorCount++;
                if (errors.Count < MaxReportedErrors)
                {
                    errors.Add(e.Message);
                }
            }
        }

        if (errorCount > 0)
        {
            var more = errorCount > errors.Count ? $" (and {errorCount - errors.Count} more)" : "";
            throw new InvalidInputException(
                $"{errorCount} bad line(s), nothing was applied. First: {errors[0]}{more}", errors);
        }

        if (order.Count == 0)
        {
            throw new InvalidInputException("The body has no lines; expected one {\"home\",\"device\",\"t\",\"v\"} object per line.");
        }

        return order.Select(key =>
        {
            var (readings, lines) = groups[key];
            return new DeviceBatch(key.Home, key.Device, [.. readings], [.. lines]);
        }).ToList();
    }

    private static (string Home, string Device, Reading Reading) ParseLine(ReadOnlyMemory<byte> line, int number)
    {
        var where = $"line {number}";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, ReadingJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{where}: not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidInputException($"{where}: expected an object {{\"home\",\"device\",\"t\",\"v\"}}, not {ReadingJson.Describe(root)}.");
            }

            var home = ReadingJson.RequireId(root, "home", where);
            var device = ReadingJson.RequireId(root, "device", where);
            return (home, device, ReadingJson.Parse(root, where));
        }
    }
}
