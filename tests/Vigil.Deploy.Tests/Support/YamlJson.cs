using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vigil.Deploy.Tests.Support;

/// <summary>
/// YAML tree → JSON, typing plain scalars the way Helm's YAML reader does for the forms used in values files
/// (true/false, integers, floats, null); quoted scalars stay strings. Plain yes/no/on/off are refused: YAML 1.1
/// (Helm) reads them as booleans, YAML 1.2 as strings, and a values file should not depend on which.
/// </summary>
public static class YamlJson
{
    private static readonly Regex Integer = new(@"^[-+]?[0-9]+$");
    private static readonly Regex Float = new(@"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$");

    public static JsonNode? ToJson(object? node, string path = "") => node switch
    {
        null => null,
        Dictionary<string, object?> map => new JsonObject(map.Select(kv =>
            KeyValuePair.Create(kv.Key, ToJson(kv.Value, path == "" ? kv.Key : $"{path}.{kv.Key}")))),
        List<object?> list => new JsonArray(list.Select((v, i) => ToJson(v, $"{path}[{i}]")).ToArray()),
        Scalar { Plain: false } s => JsonValue.Create(s.Value),
        Scalar s => Plain(s.Value, path),
        _ => throw new InvalidDataException($"{path}: unsupported YAML node."),
    };

    private static JsonNode? Plain(string v, string path)
    {
        if (v is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (v is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (v is "yes" or "no" or "on" or "off" or "Yes" or "No" or "On" or "Off" or "YES" or "NO" or "ON" or "OFF")
            throw new InvalidDataException($"{path}: plain '{v}' is a boolean to Helm (YAML 1.1) but a string to YAML 1.2; quote it or use true/false.");
        if (Integer.IsMatch(v)) return JsonValue.Create(long.Parse(v, CultureInfo.InvariantCulture));
        if (Float.IsMatch(v)) return JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        return JsonValue.Create(v);
    }
}
