using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Vigil.Deploy.Tests.Support;

/// <summary>A YAML scalar with its source style: a plain <c>true</c> is a boolean to Kubernetes, a quoted one a string.</summary>
public sealed record Scalar(string Value, bool Plain)
{
    private static readonly Regex NonString = new(
        @"^(true|false|True|False|TRUE|FALSE|yes|no|on|off|null|Null|NULL|~|[-+]?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|\.inf|\.nan)$",
        RegexOptions.CultureInvariant);

    /// <summary>Whether a YAML parser would read this scalar as something other than a string.</summary>
    public bool ReadsAsNonString => Plain && NonString.IsMatch(Value);

    public override string ToString() => Value;
}

/// <summary>Turns YAML text into plain trees: maps are <c>Dictionary&lt;string, object?&gt;</c>, sequences
/// <c>List&lt;object?&gt;</c>, scalars <see cref="Scalar"/>.</summary>
public static class Yaml
{
    /// <summary>Every document of a multi-document stream; a parse error names the source.</summary>
    public static List<Dictionary<string, object?>> Documents(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InvalidDataException($"{source}: YAML does not parse at line {e.Start.Line}, column {e.Start.Column}: {e.Message}", e);
        }

        var docs = new List<Dictionary<string, object?>>();
        foreach (var doc in stream.Documents)
        {
            if (doc.RootNode is YamlScalarNode { Value: null or "" }) continue;
            if (Convert(doc.RootNode) is not Dictionary<string, object?> map)
                throw new InvalidDataException($"{source}: a document at line {doc.RootNode.Start.Line} is not a mapping.");
            docs.Add(map);
        }

        return docs;
    }

    public static Dictionary<string, object?> Single(string text, string source)
    {
        var docs = Documents(text, source);
        return docs.Count == 1 ? docs[0] : throw new InvalidDataException($"{source}: expected one YAML document, found {docs.Count}.");
    }

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value ?? "",
            kv => Convert(kv.Value)),
        YamlSequenceNode s => s.Children.Select(Convert).ToList(),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" or "" or null } => null,
        YamlScalarNode sc => new Scalar(sc.Value ?? "", sc.Style == YamlDotNet.Core.ScalarStyle.Plain),
        _ => throw new InvalidDataException($"Unsupported YAML node at line {node.Start.Line}."),
    };

    /// <summary>Walks a dotted path of map keys (keys containing dots cannot be addressed; use <see cref="Child"/>).</summary>
    public static object? At(object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            node = Child(node, key);
            if (node is null) return null;
        }

        return node;
    }

    public static object? Child(object? node, string key) =>
        node is Dictionary<string, object?> map && map.TryGetValue(key, out var v) ? v : null;

    public static Dictionary<string, object?> MapAt(object? node, string path) =>
        At(node, path) as Dictionary<string, object?> ?? new Dictionary<string, object?>();

    public static List<object?> ListAt(object? node, string path) => At(node, path) as List<object?> ?? [];

    public static string? StrAt(object? node, string path) => (At(node, path) as Scalar)?.Value;

    /// <summary>A string-to-string map (labels, selectors, data).</summary>
    public static Dictionary<string, string> StringMap(object? node) =>
        (node as Dictionary<string, object?> ?? new Dictionary<string, object?>())
        .ToDictionary(kv => kv.Key, kv => (kv.Value as Scalar)?.Value ?? "");
}
