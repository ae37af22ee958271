using k8s;

namespace Vigil.Deploy.Tests.Support;

/// <summary>
/// Reads rendered manifests into the typed Kubernetes models of the official C# client (KubernetesClient), in
/// strict mode: a field the API does not have (a typo, a wrong nesting level) or a value of the wrong type fails
/// with the object and the field, as the API server would reject it.
/// </summary>
public static class StrictSchema
{
    public static List<string> Problems(string yaml, string source)
    {
        var problems = new List<string>();
        // One document at a time, so a failure names its object.
        foreach (var doc in yaml.Split(["\n---\n", "\n---\r\n"], StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.IsNullOrWhiteSpace(doc.Replace("---", "", StringComparison.Ordinal))) continue;
            var head = Yaml.Documents(doc, source).Select(d => new K8sObject(d)).FirstOrDefault();
            try
            {
                var objects = KubernetesYaml.LoadAllFromString(doc, strict: true);
                if (objects.Count != 1 || objects[0] is not IKubernetesObject typed || typed.Kind != head?.Kind)
                    problems.Add($"{source}: {head?.Id} was not read as a typed Kubernetes object ({objects.FirstOrDefault()?.GetType().Name}).");
            }
            catch (Exception e)
            {
                problems.Add($"{source}: {head?.Id} does not match the Kubernetes API schema: {e.GetBaseException().Message}");
            }
        }

        return problems;
    }
}
