using System.Text.Json;
using Vigil.Contracts;

namespace Vigil.Silo.Ingestion;

/// <summary><c>{"readings":[{"t":...,"v":...}, ...]}</c>: the body of one device's readings.</summary>
internal static class DeviceReadingsBody
{
    public static Reading[] Parse(ReadOnlyMemory<byte> body)
    {
        using var document = ParseDocument(body);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("readings", out var readings))
        {
            throw new InvalidInputException("The body must be an object with a \"readings\" array: {\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":21.5}]}.");
        }

        if (readings.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidInputException($"\"readings\" must be an array, not {ReadingJson.Describe(readings)}.");
        }

        if (readings.GetArrayLength() == 0)
        {
            throw new InvalidInputException("\"readings\" is empty.");
        }

        var result = new Reading[readings.GetArrayLength()];
        var i = 0;
        foreach (var element in readings.EnumerateArray())
        {
            var reading = ReadingJson.Parse(element, $"readings[{i}]");
            if (i > 0 && reading.V.Length != result[0].V.Length)
            {
                throw new InvalidInputException(
                    $"readings[{i}].v has {reading.V.Length} channel(s) but readings[0].v has {result[0].V.Length}; a device's readings all have the same channels.");
            }

            result[i++] = reading;
        }

        return result;
    }

    private static JsonDocument ParseDocument(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            throw new InvalidInputException("The body is empty; expected {\"readings\":[...]}.");
        }

        try
        {
            return JsonDocument.Parse(body, ReadingJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"The body is not valid JSON: {e.Message}");
        }
    }
}
