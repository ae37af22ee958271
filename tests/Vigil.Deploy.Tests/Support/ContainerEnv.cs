using System.Text;

namespace Vigil.Deploy.Tests.Support;

/// <summary>One environment variable of a container as Kubernetes would set it.</summary>
/// <param name="Value">The literal value, or the value read from a rendered ConfigMap/Secret; null for downward-API fields.</param>
/// <param name="FieldPath">The downward-API field (<c>status.podIP</c>, <c>metadata.labels['x']</c>), if any.</param>
/// <param name="SecretRef">"secret/key" when the value comes from a Secret.</param>
public sealed record EnvVar(string Name, string? Value, string? FieldPath, string? SecretRef, Scalar? Literal);

/// <summary>Resolves a container's <c>envFrom</c> and <c>env</c> against the objects rendered beside it.</summary>
public static class ContainerEnv
{
    /// <summary>In Kubernetes order (envFrom first, then env; a later entry overrides an earlier one).</summary>
    public static List<EnvVar> Resolve(ManifestSet set, K8sObject workload, Dictionary<string, object?> container, List<string> problems)
    {
        var vars = new List<EnvVar>();
        var where = $"{set.Source}: {workload.Id} container {Yaml.StrAt(container, "name")}";

        foreach (var from in Yaml.ListAt(container, "envFrom").OfType<Dictionary<string, object?>>())
        {
            var cm = Yaml.StrAt(from, "configMapRef.name");
            var secret = Yaml.StrAt(from, "secretRef.name");
            var obj = cm is not null ? set.Find("ConfigMap", cm) : secret is not null ? set.Find("Secret", secret) : null;
            if (obj is null)
            {
                problems.Add($"{where}: envFrom names {(cm is not null ? "ConfigMap " + cm : "Secret " + secret)}, which is not rendered.");
                continue;
            }

            foreach (var (k, v) in Data(obj))
                vars.Add(new EnvVar(k, v, null, secret is not null ? $"{secret}/{k}" : null, null));
        }

        foreach (var e in Yaml.ListAt(container, "env").OfType<Dictionary<string, object?>>())
        {
            var name = Yaml.StrAt(e, "name") ?? "";
            var literal = Yaml.At(e, "value") as Scalar;
            var field = Yaml.StrAt(e, "valueFrom.fieldRef.fieldPath");
            var secretName = Yaml.StrAt(e, "valueFrom.secretKeyRef.name");
            var cmName = Yaml.StrAt(e, "valueFrom.configMapKeyRef.name");
            string? value = literal?.Value;
            string? secretRef = null;

            if (secretName is not null || cmName is not null)
            {
                var key = Yaml.StrAt(e, secretName is not null ? "valueFrom.secretKeyRef.key" : "valueFrom.configMapKeyRef.key") ?? "";
                var obj = secretName is not null ? set.Find("Secret", secretName) : set.Find("ConfigMap", cmName!);
                if (obj is null && secretName is not null && set.ExternalSecrets.Contains(secretName))
                {
                    value = null; // provided by the user outside this rendering
                }
                else if (obj is null)
                {
                    problems.Add($"{where}: env {name} reads {(secretName is not null ? "Secret " + secretName : "ConfigMap " + cmName)}, which is not rendered.");
                }
                else if (!Data(obj).TryGetValue(key, out value))
                {
                    problems.Add($"{where}: env {name} reads key '{key}' that {obj.Id} does not have.");
                }

                if (secretName is not null) secretRef = $"{secretName}/{key}";
            }
            else if (literal is null && field is null && Yaml.At(e, "valueFrom") is null && Yaml.At(e, "value") is not null)
            {
                problems.Add($"{where}: env {name} has a value that is not a scalar.");
            }

            if (literal is { ReadsAsNonString: true })
                problems.Add($"{where}: env {name} value '{literal.Value}' is a YAML {(bool.TryParse(literal.Value, out _) ? "boolean" : "number/null")}, not a string; the API server rejects it (quote it).");

            vars.Add(new EnvVar(name, value, field, secretRef, literal));
        }

        return vars;
    }

    /// <summary>The effective variables by name (later entries win, as in Kubernetes).</summary>
    public static Dictionary<string, EnvVar> Effective(IEnumerable<EnvVar> vars)
    {
        var map = new Dictionary<string, EnvVar>(StringComparer.Ordinal);
        foreach (var v in vars) map[v.Name] = v;
        return map;
    }

    /// <summary>ConfigMap data, or Secret data decoded from base64 (plus stringData).</summary>
    public static Dictionary<string, string> Data(K8sObject obj)
    {
        var data = Yaml.StringMap(Yaml.Child(obj.Root, "data"));
        if (obj.Kind != "Secret") return data;
        var decoded = data.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(Convert.FromBase64String(kv.Value.Replace("\n", "", StringComparison.Ordinal))));
        foreach (var (k, v) in Yaml.StringMap(Yaml.Child(obj.Root, "stringData"))) decoded[k] = v;
        return decoded;
    }
}
