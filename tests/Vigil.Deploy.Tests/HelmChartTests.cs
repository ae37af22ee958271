using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;
using Vigil.Deploy.Tests.Support;

namespace Vigil.Deploy.Tests;

/// <summary>
/// Checks of helm/vigil's sources: the values file against its schema (with NJsonSchema, independently of
/// Helm), the schema itself, every .Values path a template uses, values no template reads, the templates' block
/// structure and includes. <see cref="HelmRenderTests"/> renders the chart with the real Helm.
/// </summary>
public class HelmChartTests
{
    private static readonly string ChartDir = Repo.PathOf("helm", "vigil");
    private static readonly ChartTemplates Templates = new(ChartDir);

    // Keywords NJsonSchema 11 was seen to enforce here (a probe, and the bad values below, each of which it
    // rejects), plus annotations. It silently ignores if/then/else and const, so a schema using those would
    // validate less here than Helm does.
    private static readonly HashSet<string> EnforcedKeywords =
    [
        "$schema", "title", "description", "type", "properties", "additionalProperties", "required", "enum",
        "minimum", "maximum", "minLength", "pattern", "minProperties", "items", "anyOf",
    ];

    private static Dictionary<string, object?> Values() => Yaml.Single(File.ReadAllText(Path.Combine(ChartDir, "values.yaml")), "helm/vigil/values.yaml");

    private static async Task<JsonSchema> Schema() => await JsonSchema.FromFileAsync(Path.Combine(ChartDir, "values.schema.json"));

    private static async Task<List<string>> Validate(JsonNode values) =>
        (await Schema()).Validate(values.ToJsonString()).Select(e => $"{e.Path}: {e.Kind}").ToList();

    [Fact]
    public void Chart_yaml_is_a_v2_application_chart_with_versions()
    {
        var chart = Yaml.Single(File.ReadAllText(Path.Combine(ChartDir, "Chart.yaml")), "helm/vigil/Chart.yaml");
        Assert.Equal("v2", Yaml.StrAt(chart, "apiVersion"));
        Assert.Equal("vigil", Yaml.StrAt(chart, "name"));
        Assert.Equal("application", Yaml.StrAt(chart, "type"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", Yaml.StrAt(chart, "version"));
        Assert.False(string.IsNullOrEmpty(Yaml.StrAt(chart, "appVersion")));
        Assert.True(File.Exists(Path.Combine(ChartDir, "templates", "NOTES.txt")));
        Assert.True(File.Exists(Path.Combine(ChartDir, "templates", "_helpers.tpl")));
    }

    [Fact]
    public async Task Default_values_validate_against_the_schema()
    {
        var errors = await Validate(YamlJson.ToJson(Values())!);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void The_schema_uses_only_keywords_the_validator_here_enforces()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(ChartDir, "values.schema.json")))!;
        var unknown = new List<string>();
        Walk(schema, "#", unknown);
        Assert.True(unknown.Count == 0, "Not enforced by NJsonSchema here, so not checked by these tests: " + string.Join(", ", unknown));

        static void Walk(JsonNode node, string at, List<string> unknown)
        {
            if (node is not JsonObject obj) return;
            foreach (var (key, child) in obj)
            {
                if (!EnforcedKeywords.Contains(key)) unknown.Add($"{at}/{key}");
                switch (key)
                {
                    case "properties" when child is JsonObject props:
                        foreach (var (name, sub) in props) Walk(sub!, $"{at}/properties/{name}", unknown);
                        break;
                    case "additionalProperties" or "items" when child is JsonObject:
                        Walk(child, $"{at}/{key}", unknown);
                        break;
                    case "anyOf" or "allOf" when child is JsonArray arr:
                        for (var i = 0; i < arr.Count; i++) Walk(arr[i]!, $"{at}/{key}/{i}", unknown);
                        break;
                }
            }
        }
    }

    public static TheoryData<string, string> Installs => new()
    {
        { "cpu only", "{}" },
        { "gpu pool", """{"accelerator":{"enabled":true,"replicas":2,"gpusPerPod":1}}""" },
        { "external redis", """{"redis":{"bundled":false,"external":{"existingSecret":"vigil-redis-external"}}}""" },
        { "models on a volume", """{"models":{"source":"Folder","volume":{"persistentVolumeClaim":{"claimName":"vigil-models"}}}}""" },
        { "traces to a collector", """{"telemetry":{"otlpEndpoint":"http://otel-collector.observability:4317","traceSampleRatio":0.05}}""" },
        { "quieter alerts", """{"scoring":{"detector":"autoencoder","falseAlertsPerDay":0.1}}""" },
        { "fixed replicas", """{"silo":{"replicas":4,"autoscaling":{"enabled":false}}}""" },
    };

    [Theory, MemberData(nameof(Installs))]
    public async Task The_readme_install_variants_validate(string variant, string overrides)
    {
        var errors = await Validate(Merge(YamlJson.ToJson(Values())!, JsonNode.Parse(overrides)!));
        Assert.True(errors.Count == 0, variant + ": " + string.Join(Environment.NewLine, errors));
    }

    public static TheoryData<string, string> BadValues => new()
    {
        { "unknown top-level key", """{"replicas":3}""" },
        { "typo in a nested key", """{"silo":{"replica":3}}""" },
        { "zero silos", """{"silo":{"replicas":0}}""" },
        { "unknown model source", """{"models":{"source":"S3"}}""" },
        { "unknown detector", """{"scoring":{"detector":"magic"}}""" },
        { "no false alert allowed at all", """{"scoring":{"falseAlertsPerDay":0}}""" },
        { "no false camera alert allowed at all", """{"scoring":{"cameraFalseAlertsPerDay":0}}""" },
        { "sample ratio above 1", """{"telemetry":{"traceSampleRatio":1.5}}""" },
        { "unknown OTLP protocol", """{"telemetry":{"otlpProtocol":"udp"}}""" },
        { "endpoint without scheme", """{"telemetry":{"otlpEndpoint":"collector:4317"}}""" },
        { "cpu as accelerator device", """{"accelerator":{"device":"cpu"}}""" },
        { "no GPU per accelerator pod", """{"accelerator":{"gpusPerPod":0}}""" },
        { "replicas as a string", """{"accelerator":{"replicas":"2"}}""" },
        { "password with a comma", """{"redis":{"password":"a,b"}}""" },
        { "bad pull policy", """{"image":{"pullPolicy":"Sometimes"}}""" },
        { "relative models path", """{"models":{"path":"models"}}""" },
        { "pull secret without a name", """{"imagePullSecrets":[{}]}""" },
        { "env entry without a name", """{"silo":{"extraEnv":[{"value":"x"}]}}""" },
        { "non-string resource quantity", """{"silo":{"resources":{"limits":{"cpu":true}}}}""" },
    };

    [Theory, MemberData(nameof(BadValues))]
    public async Task The_schema_rejects_bad_values(string what, string overrides)
    {
        var errors = await Validate(Merge(YamlJson.ToJson(Values())!, JsonNode.Parse(overrides)!));
        Assert.True(errors.Count > 0, $"the schema accepted {what}");
    }

    [Fact]
    public void Templates_have_balanced_blocks_and_delimiters() =>
        Assert.True(Templates.StructureProblems.Count == 0, string.Join(Environment.NewLine, Templates.StructureProblems));

    [Fact]
    public void Every_values_path_a_template_uses_exists_in_values_yaml()
    {
        var values = Values();
        var missing = Templates.ValuesPaths()
            .Where(p => !Exists(values, p.Path))
            .Select(p => $"{p.Action.File}:{p.Action.Line}: .Values.{p.Path}")
            .Distinct().ToList();

        // $values is accelerator or silo (the pod template helper serves both pools): a path must exist in both,
        // unless it is only used inside an `if $accel` block (accelerator-only settings).
        foreach (var (action, path) in Templates.ValuesPaths("$values"))
        {
            var accelOnly = action.Enclosing.Any(b => b == "if $accel") || action.Text.StartsWith("if $accel", StringComparison.Ordinal);
            if (!Exists(values, "accelerator." + path)) missing.Add($"{action.File}:{action.Line}: $values.{path} (accelerator)");
            if (!accelOnly && !Exists(values, "silo." + path)) missing.Add($"{action.File}:{action.Line}: $values.{path} (silo)");
        }

        Assert.True(Templates.ValuesPaths().Any(), "no .Values reference found: the template reader is broken");
        Assert.True(missing.Count == 0, "Not in values.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_value_in_values_yaml_is_used_by_a_template()
    {
        var used = Templates.ValuesPaths().Select(p => p.Path)
            .Concat(Templates.ValuesPaths("$values").SelectMany(p => new[] { "silo." + p.Path, "accelerator." + p.Path }))
            .ToHashSet();
        var unused = Leaves(Values(), "").Where(leaf => !used.Any(u => leaf == u || leaf.StartsWith(u + ".", StringComparison.Ordinal))).ToList();
        Assert.True(unused.Count == 0, "Set in values.yaml but read by no template: " + string.Join(", ", unused));
    }

    [Fact]
    public void Every_included_template_is_defined()
    {
        var defined = Templates.Actions.Select(a => Regex.Match(a.Text, "^define \"([^\"]+)\"")).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet();
        var included = Templates.Actions.SelectMany(a => Regex.Matches(a.Text, "include \"([^\"]+)\"").Select(m => (a, m.Groups[1].Value))).ToList();
        var undefined = included.Where(i => !defined.Contains(i.Item2)).Select(i => $"{i.a.File}:{i.a.Line}: {i.Item2}").ToList();
        Assert.NotEmpty(included);
        Assert.True(undefined.Count == 0, "Included but never defined: " + string.Join(", ", undefined));
    }

    [Fact]
    public void Silo_environment_names_in_the_templates_are_ones_the_silo_reads()
    {
        var text = string.Join("\n", Templates.Texts.Values);
        var keys = AgreedConfiguration.SiloKeys;
        var vigil = Regex.Matches(text, @"\bVigil__[A-Za-z0-9_]+").Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(vigil);
        var unread = vigil.Where(v => !keys.ContainsKey(SiloSource.KeyOfEnvironmentName(v))).ToList();
        Assert.True(unread.Count == 0, "The silo reads none of: " + string.Join(", ", unread));

        var other = Regex.Matches(text, @"\b(OTEL_[A-Z_]+|DOTNET_[A-Z_]+|POD_[A-Z_]+|ORLEANS_[A-Z_]+)\b").Select(m => m.Value).Distinct();
        var unknown = other.Where(o => !AgreedConfiguration.OtherEnvironment.Contains(o)).ToList();
        Assert.True(unknown.Count == 0, "Read by nothing the silo runs: " + string.Join(", ", unknown));
    }

    private static bool Exists(object? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            if (node is not Dictionary<string, object?> map || !map.TryGetValue(key, out node)) return false;
        }

        return true;
    }

    private static IEnumerable<string> Leaves(object? node, string prefix) => node switch
    {
        Dictionary<string, object?> { Count: > 0 } map => map.SelectMany(kv => Leaves(kv.Value, prefix == "" ? kv.Key : $"{prefix}.{kv.Key}")),
        _ => [prefix],
    };

    /// <summary>Helm's override semantics for maps: nested objects merge, anything else replaces.</summary>
    private static JsonNode Merge(JsonNode baseNode, JsonNode overrides)
    {
        var result = baseNode.DeepClone();
        if (result is not JsonObject target || overrides is not JsonObject source) return overrides.DeepClone();
        foreach (var (key, value) in source)
        {
            target[key] = target[key] is JsonObject existing && value is JsonObject
                ? Merge(existing, value)
                : value?.DeepClone();
        }

        return target;
    }
}
