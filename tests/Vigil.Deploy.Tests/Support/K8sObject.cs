namespace Vigil.Deploy.Tests.Support;

/// <summary>One rendered Kubernetes object.</summary>
public sealed class K8sObject(Dictionary<string, object?> root)
{
    public Dictionary<string, object?> Root { get; } = root;

    public string ApiVersion => Yaml.StrAt(Root, "apiVersion") ?? "";
    public string Kind => Yaml.StrAt(Root, "kind") ?? "";
    public string Name => Yaml.StrAt(Root, "metadata.name") ?? "";
    public string? Namespace => Yaml.StrAt(Root, "metadata.namespace");
    public Dictionary<string, string> Labels => Yaml.StringMap(Yaml.At(Root, "metadata.labels"));

    public string Id => $"{Kind}/{Name}";

    public bool IsWorkload => Kind is "Deployment" or "StatefulSet" or "DaemonSet";

    public Dictionary<string, object?> PodTemplate => Yaml.MapAt(Root, "spec.template");
    public Dictionary<string, object?> PodSpec => Yaml.MapAt(Root, "spec.template.spec");
    public Dictionary<string, string> PodLabels => Yaml.StringMap(Yaml.At(Root, "spec.template.metadata.labels"));

    public IEnumerable<Dictionary<string, object?>> Containers =>
        Yaml.ListAt(PodSpec, "containers").OfType<Dictionary<string, object?>>();

    public override string ToString() => Id;
}

/// <summary>A rendered manifest set (one kustomize overlay or one chart rendering).</summary>
public sealed class ManifestSet
{
    private static readonly string[] ClusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass"];

    /// <param name="releaseNamespace">Namespace given to objects that name none, as <c>helm install -n</c> does.</param>
    /// <param name="externalSecrets">Secrets the user provides outside this rendering (e.g. an external Redis).</param>
    public ManifestSet(string source, string yaml, string? releaseNamespace = null, IEnumerable<string>? externalSecrets = null)
    {
        Source = source;
        Objects = Yaml.Documents(yaml, source).Select(d => new K8sObject(d)).ToList();
        ExternalSecrets = new HashSet<string>(externalSecrets ?? []);
        if (releaseNamespace is null) return;
        foreach (var o in Objects.Where(o => o.Namespace is null && !ClusterScoped.Contains(o.Kind)))
        {
            if (o.Root.GetValueOrDefault("metadata") is Dictionary<string, object?> meta) meta["namespace"] = new Scalar(releaseNamespace, false);
        }
    }

    public static bool IsClusterScoped(string kind) => ClusterScoped.Contains(kind);

    public string Source { get; }

    public IReadOnlySet<string> ExternalSecrets { get; }
    public IReadOnlyList<K8sObject> Objects { get; }

    public IEnumerable<K8sObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);
    public IEnumerable<K8sObject> Workloads => Objects.Where(o => o.IsWorkload);

    /// <summary>Silo workloads: pods labelled for Orleans' Kubernetes hosting.</summary>
    public IEnumerable<K8sObject> Silos => Workloads.Where(w => w.PodLabels.ContainsKey(OrleansLabels.ServiceId));

    public K8sObject? Find(string kind, string name) => Objects.FirstOrDefault(o => o.Kind == kind && o.Name == name);

    public K8sObject Get(string kind, string name) =>
        Find(kind, name) ?? throw new Xunit.Sdk.XunitException($"{Source}: no {kind} named '{name}'.");

    public static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
}

/// <summary>Names fixed by Microsoft.Orleans.Hosting.Kubernetes (KubernetesHostingOptions).</summary>
public static class OrleansLabels
{
    public const string ServiceId = "orleans/serviceId";
    public const string ClusterId = "orleans/clusterId";
}
