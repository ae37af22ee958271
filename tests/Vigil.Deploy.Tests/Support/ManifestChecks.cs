using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Deploy.Tests.Support;

/// <summary>
/// Checks on a rendered manifest set. Each returns every problem it finds (empty = fine), each naming the
/// object, so a failing test lists all that is wrong at once.
/// </summary>
public static class ManifestChecks
{
    private static readonly Regex Dns1123Subdomain = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static readonly Regex Dns1123Label = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static readonly Regex VarReference = new(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)");
    private static readonly string[] OrleansVerbs = ["get", "watch", "list", "delete", "patch"];

    public static List<string> Structure(ManifestSet set, string expectedNamespace)
    {
        var problems = new List<string>();
        foreach (var o in set.Objects)
        {
            if (o.ApiVersion == "" || o.Kind == "" || o.Name == "")
                problems.Add($"{set.Source}: an object lacks apiVersion, kind or metadata.name ({o.ApiVersion} {o.Kind} {o.Name}).");
            var nameRule = o.Kind is "Service" or "Namespace" ? Dns1123Label : Dns1123Subdomain;
            if (!nameRule.IsMatch(o.Name) || o.Name.Length > (o.Kind == "Service" ? 63 : 253))
                problems.Add($"{set.Source}: {o.Id} name is not a valid DNS-1123 name.");
            if (!ManifestSet.IsClusterScoped(o.Kind) && o.Namespace != expectedNamespace)
                problems.Add($"{set.Source}: {o.Id} is in namespace '{o.Namespace}', expected '{expectedNamespace}'.");
        }

        // String-only maps: a plain true/123 there is a YAML boolean/number and the API server rejects the object.
        foreach (var o in set.Objects)
        {
            var maps = new List<(string Path, object? Map)>
            {
                ("metadata.labels", Yaml.At(o.Root, "metadata.labels")),
                ("metadata.annotations", Yaml.At(o.Root, "metadata.annotations")),
                ("spec.template.metadata.labels", Yaml.At(o.Root, "spec.template.metadata.labels")),
                ("spec.template.metadata.annotations", Yaml.At(o.Root, "spec.template.metadata.annotations")),
                ("spec.template.spec.nodeSelector", Yaml.At(o.Root, "spec.template.spec.nodeSelector")),
            };
            if (o.Kind is "ConfigMap" or "Secret")
            {
                maps.Add(("data", Yaml.Child(o.Root, "data")));
                maps.Add(("stringData", Yaml.Child(o.Root, "stringData")));
            }

            foreach (var (path, map) in maps)
            {
                if (map is not Dictionary<string, object?> entries) continue;
                foreach (var (key, value) in entries)
                {
                    if (value is not Scalar s || s.ReadsAsNonString)
                        problems.Add($"{set.Source}: {o.Id} {path}.{key} is not a string ('{value}'); quote it.");
                }
            }
        }

        foreach (var dup in set.Objects.GroupBy(o => (o.Kind, o.Namespace, o.Name)).Where(g => g.Count() > 1))
            problems.Add($"{set.Source}: {dup.Key.Kind}/{dup.Key.Name} is defined {dup.Count()} times.");
        return problems;
    }

    public static List<string> Selectors(ManifestSet set)
    {
        var problems = new List<string>();
        var workloads = set.Workloads.ToList();

        foreach (var w in workloads)
        {
            var selector = Yaml.StringMap(Yaml.At(w.Root, "spec.selector.matchLabels"));
            if (selector.Count == 0) problems.Add($"{set.Source}: {w.Id} has no spec.selector.matchLabels.");
            else if (!ManifestSet.Selects(selector, w.PodLabels))
                problems.Add($"{set.Source}: {w.Id} selector {Show(selector)} does not match its own pod labels {Show(w.PodLabels)}.");

            foreach (var other in workloads.Where(o => o != w))
            {
                if (ManifestSet.Selects(selector, other.PodLabels))
                    problems.Add($"{set.Source}: {w.Id} selector {Show(selector)} also selects the pods of {other.Id}; the two controllers would fight.");
            }
        }

        foreach (var svc in set.OfKind("Service"))
        {
            var selector = Yaml.StringMap(Yaml.At(svc.Root, "spec.selector"));
            var targets = workloads.Where(w => ManifestSet.Selects(selector, w.PodLabels)).ToList();
            if (targets.Count == 0)
            {
                problems.Add($"{set.Source}: Service/{svc.Name} selector {Show(selector)} matches no workload's pods.");
                continue;
            }

            foreach (var port in Yaml.ListAt(svc.Root, "spec.ports"))
            {
                var target = Yaml.StrAt(port, "targetPort") ?? Yaml.StrAt(port, "port") ?? "";
                foreach (var w in targets.Where(w => ContainerPort(w, target) is null))
                    problems.Add($"{set.Source}: Service/{svc.Name} targetPort '{target}' is not a container port of {w.Id}.");
            }
        }

        var pdbs = set.OfKind("PodDisruptionBudget").ToList();
        foreach (var pdb in pdbs)
        {
            var selector = Yaml.StringMap(Yaml.At(pdb.Root, "spec.selector.matchLabels"));
            var targets = workloads.Where(w => ManifestSet.Selects(selector, w.PodLabels)).ToList();
            if (targets.Count != 1)
                problems.Add($"{set.Source}: PodDisruptionBudget/{pdb.Name} selects the pods of {targets.Count} workloads ({string.Join(", ", targets)}); expected exactly one.");
            if (Yaml.At(pdb.Root, "spec.maxUnavailable") is null && Yaml.At(pdb.Root, "spec.minAvailable") is null)
                problems.Add($"{set.Source}: PodDisruptionBudget/{pdb.Name} sets neither maxUnavailable nor minAvailable.");
        }

        foreach (var silo in set.Silos)
        {
            if (!pdbs.Any(p => ManifestSet.Selects(Yaml.StringMap(Yaml.At(p.Root, "spec.selector.matchLabels")), silo.PodLabels)))
                problems.Add($"{set.Source}: no PodDisruptionBudget covers the pods of {silo.Id}.");
        }

        foreach (var hpa in set.OfKind("HorizontalPodAutoscaler"))
        {
            var kind = Yaml.StrAt(hpa.Root, "spec.scaleTargetRef.kind") ?? "";
            var name = Yaml.StrAt(hpa.Root, "spec.scaleTargetRef.name") ?? "";
            var target = set.Find(kind, name);
            if (target is null)
            {
                problems.Add($"{set.Source}: HorizontalPodAutoscaler/{hpa.Name} scales {kind}/{name}, which is not rendered.");
                continue;
            }

            var usesCpu = Yaml.ListAt(hpa.Root, "spec.metrics").Any(m => Yaml.StrAt(m, "resource.name") == "cpu");
            if (!usesCpu) problems.Add($"{set.Source}: HorizontalPodAutoscaler/{hpa.Name} does not scale on CPU.");
            if (target.Containers.Any(c => Yaml.At(c, "resources.requests.cpu") is null))
                problems.Add($"{set.Source}: {target.Id} has a container without a CPU request; CPU utilisation scaling needs one.");
            if (Int(Yaml.StrAt(hpa.Root, "spec.minReplicas")) is not { } min || Int(Yaml.StrAt(hpa.Root, "spec.maxReplicas")) is not { } max || min < 1 || min > max)
                problems.Add($"{set.Source}: HorizontalPodAutoscaler/{hpa.Name} needs 1 <= minReplicas <= maxReplicas.");
        }

        return problems;
    }

    public static List<string> Containers(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var w in set.Workloads)
        {
            var podNonRoot = Yaml.StrAt(w.PodSpec, "securityContext.runAsNonRoot") == "true";
            foreach (var c in w.Containers)
            {
                var where = $"{set.Source}: {w.Id} container {Yaml.StrAt(c, "name")}";
                var image = Yaml.StrAt(c, "image") ?? "";
                var tag = image.Contains('@', StringComparison.Ordinal) ? "digest" : image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : "";
                if (image == "" || tag == "" || tag == "latest")
                    problems.Add($"{where}: image '{image}' must carry a pinned tag or digest.");
                foreach (var part in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" })
                {
                    if (Yaml.At(c, "resources." + part) is null) problems.Add($"{where}: resources.{part} is not set.");
                }

                if (!podNonRoot && Yaml.StrAt(c, "securityContext.runAsNonRoot") != "true")
                    problems.Add($"{where}: runAsNonRoot is not set.");
                if (Yaml.StrAt(c, "securityContext.allowPrivilegeEscalation") != "false")
                    problems.Add($"{where}: allowPrivilegeEscalation is not false.");
            }
        }

        return problems;
    }

    public static List<string> Rbac(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var silo in set.Silos)
        {
            var sa = Yaml.StrAt(silo.PodSpec, "serviceAccountName");
            if (sa is null || set.Find("ServiceAccount", sa) is null)
            {
                problems.Add($"{set.Source}: {silo.Id} runs as ServiceAccount '{sa}', which is not rendered (Orleans' Kubernetes hosting needs pod rights).");
                continue;
            }

            var granted = new HashSet<string>();
            foreach (var rb in set.OfKind("RoleBinding"))
            {
                var bound = Yaml.ListAt(rb.Root, "subjects").Any(s =>
                    Yaml.StrAt(s, "kind") == "ServiceAccount" && Yaml.StrAt(s, "name") == sa
                    && (Yaml.StrAt(s, "namespace") ?? rb.Namespace) == silo.Namespace);
                if (!bound) continue;
                var role = set.Find(Yaml.StrAt(rb.Root, "roleRef.kind") ?? "", Yaml.StrAt(rb.Root, "roleRef.name") ?? "");
                if (role is null)
                {
                    problems.Add($"{set.Source}: RoleBinding/{rb.Name} refers to a role that is not rendered.");
                    continue;
                }

                foreach (var rule in Yaml.ListAt(role.Root, "rules"))
                {
                    var groups = Yaml.ListAt(rule, "apiGroups").OfType<Scalar>().Select(s => s.Value);
                    var resources = Yaml.ListAt(rule, "resources").OfType<Scalar>().Select(s => s.Value);
                    if (groups.Contains("") && resources.Contains("pods"))
                        granted.UnionWith(Yaml.ListAt(rule, "verbs").OfType<Scalar>().Select(s => s.Value));
                }
            }

            var missing = OrleansVerbs.Where(v => !granted.Contains(v)).ToList();
            if (missing.Count > 0)
                problems.Add($"{set.Source}: ServiceAccount/{sa} of {silo.Id} lacks pods verbs {string.Join(", ", missing)}.");
        }

        return problems;
    }

    public static List<string> OrleansHosting(ManifestSet set)
    {
        var problems = new List<string>();
        var silos = set.Silos.ToList();
        if (silos.Count == 0) problems.Add($"{set.Source}: no workload carries the {OrleansLabels.ServiceId} pod label.");

        var ids = silos.Select(s => (s.PodLabels.GetValueOrDefault(OrleansLabels.ServiceId), s.PodLabels.GetValueOrDefault(OrleansLabels.ClusterId))).Distinct().ToList();
        if (ids.Count > 1)
            problems.Add($"{set.Source}: silo pools disagree on Orleans ids ({string.Join("; ", ids)}); the Kubernetes agent would declare the other pool's silos dead.");

        foreach (var silo in silos)
        {
            var serviceId = silo.PodLabels.GetValueOrDefault(OrleansLabels.ServiceId);
            var clusterId = silo.PodLabels.GetValueOrDefault(OrleansLabels.ClusterId);
            if (string.IsNullOrEmpty(clusterId)) problems.Add($"{set.Source}: {silo.Id} pods lack the {OrleansLabels.ClusterId} label.");

            var env = ContainerEnv.Effective(ContainerEnv.Resolve(set, silo, SiloContainer(silo), problems));
            Expect(problems, set, silo, env, "POD_NAME", field: "metadata.name");
            Expect(problems, set, silo, env, "POD_NAMESPACE", field: "metadata.namespace");
            Expect(problems, set, silo, env, "POD_IP", field: "status.podIP");
            ExpectIdVar(problems, set, silo, env, "ORLEANS_SERVICE_ID", OrleansLabels.ServiceId, serviceId);
            ExpectIdVar(problems, set, silo, env, "ORLEANS_CLUSTER_ID", OrleansLabels.ClusterId, clusterId);
            Expect(problems, set, silo, env, "Vigil__Clustering__ServiceId", value: serviceId);
            Expect(problems, set, silo, env, "Vigil__Clustering__ClusterId", value: clusterId);
            var mode = env.GetValueOrDefault("Vigil__Clustering__Mode")?.Value;
            if (mode is not ("Kubernetes" or "Redis"))
                problems.Add($"{set.Source}: {silo.Id} Vigil__Clustering__Mode is '{mode}', expected Kubernetes or Redis.");
        }

        return problems;
    }

    public static List<string> SiloEnvironment(ManifestSet set)
    {
        var problems = new List<string>();
        var keys = AgreedConfiguration.SiloKeys;
        foreach (var silo in set.Silos)
        {
            var container = SiloContainer(silo);
            var ordered = ContainerEnv.Resolve(set, silo, container, problems);
            var env = ContainerEnv.Effective(ordered);
            var where = $"{set.Source}: {silo.Id}";

            for (var i = 0; i < ordered.Count; i++)
            {
                var v = ordered[i];
                if (v.Name.StartsWith("Vigil__", StringComparison.Ordinal))
                {
                    if (!keys.TryGetValue(SiloSource.KeyOfEnvironmentName(v.Name), out var key))
                        problems.Add($"{where}: {v.Name} maps to {SiloSource.KeyOfEnvironmentName(v.Name)}, which the silo does not read.");
                    else if (v.Value is not null && SiloSource.Instance.CheckValue(key, v.Value) is { } bad)
                        problems.Add($"{where}: {v.Name}: {bad}.");
                }
                else if (!AgreedConfiguration.OtherEnvironment.Contains(v.Name))
                {
                    problems.Add($"{where}: environment variable {v.Name} is read by nothing the silo runs.");
                }

                // $(VAR) expands only from variables defined before it in the container.
                foreach (Match m in VarReference.Matches(v.Literal?.Value ?? ""))
                {
                    if (!ordered.Take(i).Any(p => p.Name == m.Groups[1].Value))
                        problems.Add($"{where}: {v.Name} refers to $({m.Groups[1].Value}), which is not defined before it.");
                }
            }

            var conn = env.GetValueOrDefault("Vigil__Redis__ConnectionString");
            if (conn?.SecretRef is null)
                problems.Add($"{where}: Vigil__Redis__ConnectionString must come from a Secret.");

            var urls = env.GetValueOrDefault("Vigil__Http__Urls")?.Value ?? "";
            var httpPort = ContainerPort(silo, "http");
            if (!Uri.TryCreate(urls.Split(';')[0], UriKind.Absolute, out var uri) || uri.Host is not ("0.0.0.0" or "[::]") || uri.Port != httpPort)
                problems.Add($"{where}: Vigil__Http__Urls '{urls}' must listen on all addresses at the 'http' container port ({httpPort}).");

            foreach (var required in new[] { "Vigil__Silo__Accelerator", "Vigil__Silo__Device", "Vigil__Models__Source", "Vigil__Models__Path",
                         "Vigil__Orleans__AdvertisedIP", "Vigil__Simulator__Homes", "OTEL_SERVICE_NAME", "Vigil__Telemetry__TraceSampleRatio" })
            {
                if (!env.ContainsKey(required)) problems.Add($"{where}: {required} is not set.");
            }

            if (env.GetValueOrDefault("Vigil__Simulator__Homes")?.Value is { } homes && homes != "0")
                problems.Add($"{where}: the embedded simulator must be off in a cluster (Vigil__Simulator__Homes={homes}).");

            if (double.TryParse(env.GetValueOrDefault("Vigil__Telemetry__TraceSampleRatio")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is < 0 or > 1)
                problems.Add($"{where}: Vigil__Telemetry__TraceSampleRatio {ratio} is outside 0..1.");

            var modelsPath = env.GetValueOrDefault("Vigil__Models__Path")?.Value;
            var mount = Yaml.ListAt(container, "volumeMounts").FirstOrDefault(m => Yaml.StrAt(m, "mountPath") == modelsPath);
            if (mount is null)
                problems.Add($"{where}: Vigil__Models__Path '{modelsPath}' is not a mounted volume (the root filesystem is read-only, and bundles are never baked into the image).");
        }

        return problems;
    }

    /// <summary>Settings every silo pool must share: cluster identity, the model registry, and what device grains
    /// route by (detectors, slots per model), since a device grain on one pool calls model grains on another.</summary>
    public static List<string> ClusterWideSettings(ManifestSet set)
    {
        var problems = new List<string>();
        var silos = set.Silos.ToList();
        var envs = silos.Select(s => (Silo: s, Env: ContainerEnv.Effective(ContainerEnv.Resolve(set, s, SiloContainer(s), problems)))).ToList();
        var names = envs.SelectMany(e => e.Env.Keys).Distinct().Where(n =>
            n.StartsWith("Vigil__Clustering__", StringComparison.Ordinal) || n.StartsWith("Vigil__Scoring__", StringComparison.Ordinal)
            || n is "Vigil__Models__Source" or "Vigil__Batching__SlotsPerModel" or "Vigil__Redis__ConnectionString" or "OTEL_SERVICE_NAME");
        foreach (var name in names)
        {
            var values = envs.Select(e => e.Env.TryGetValue(name, out var v) ? v.SecretRef ?? v.Value : "(default)").Distinct().ToList();
            if (values.Count > 1)
                problems.Add($"{set.Source}: silo pools disagree on {name} ({string.Join(" vs ", envs.Select(e => $"{e.Silo.Name}={(e.Env.TryGetValue(name, out var v) ? v.SecretRef ?? v.Value : "(default)")}"))}).");
        }

        foreach (var (silo, env) in envs)
        {
            // BatchingOptions.Validate: the silo refuses to start otherwise.
            if (Int(env.GetValueOrDefault("Vigil__Batching__MaxQueueLength")?.Value) is { } length
                && Int(env.GetValueOrDefault("Vigil__Batching__MaxBatchSize")?.Value) is { } batch && length < batch)
                problems.Add($"{set.Source}: {silo.Id} Vigil__Batching__MaxQueueLength {length} < MaxBatchSize {batch}.");
        }

        return problems;
    }

    public static List<string> Probes(ManifestSet set)
    {
        var problems = new List<string>();
        var routes = AgreedConfiguration.SiloRoutes;
        foreach (var silo in set.Silos)
        {
            var c = SiloContainer(silo);
            foreach (var (probe, path) in new[] { ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz") })
            {
                var actual = Yaml.StrAt(c, probe + ".httpGet.path");
                var port = Yaml.StrAt(c, probe + ".httpGet.port");
                if (actual != path) problems.Add($"{set.Source}: {silo.Id} {probe} path is '{actual}', expected {path}.");
                if (actual is not null && !routes.Contains(actual))
                    problems.Add($"{set.Source}: {silo.Id} {probe} path '{actual}' is not a MapGet route of the silo (routes: {string.Join(", ", routes.Order())}).");
                if (port is null || ContainerPort(silo, port) is null)
                    problems.Add($"{set.Source}: {silo.Id} {probe} port '{port}' is not a container port.");
            }
        }

        return problems;
    }

    public static List<string> Shutdown(ManifestSet set)
    {
        var problems = new List<string>();
        foreach (var silo in set.Silos)
        {
            var c = SiloContainer(silo);
            var env = ContainerEnv.Effective(ContainerEnv.Resolve(set, silo, c, problems));
            var configured = Int(env.GetValueOrDefault("DOTNET_SHUTDOWNTIMEOUTSECONDS")?.Value);
            // A timeout set in code overrides configuration; count the longer of the two.
            var shutdown = Math.Max(configured ?? AgreedConfiguration.DotnetDefaultShutdownSeconds, SiloSource.Instance.ShutdownTimeoutSecondsInCode ?? 0);
            var preStop = Yaml.ListAt(c, "lifecycle.preStop.exec.command").OfType<Scalar>().Select(s => s.Value).ToList();
            var sleep = preStop.Count == 2 && preStop[0] == "sleep" ? Int(preStop[1]) : Int(Yaml.StrAt(c, "lifecycle.preStop.sleep.seconds"));
            if (sleep is null) problems.Add($"{set.Source}: {silo.Id} has no preStop sleep; the Service may still route to a stopping silo.");
            var grace = Int(Yaml.StrAt(silo.PodSpec, "terminationGracePeriodSeconds")) ?? 30;
            if (grace < shutdown + (sleep ?? 0))
                problems.Add($"{set.Source}: {silo.Id} terminationGracePeriodSeconds {grace} < preStop {sleep} + host shutdown {shutdown}; Orleans would be killed mid hand-off.");
        }

        return problems;
    }

    public static List<string> BundledRedis(ManifestSet set)
    {
        var problems = new List<string>();
        var redis = set.OfKind("StatefulSet").Where(s => s.Containers.Any(c => (Yaml.StrAt(c, "image") ?? "").Contains("redis", StringComparison.Ordinal))).ToList();
        if (redis.Count != 1)
        {
            problems.Add($"{set.Source}: expected one Redis StatefulSet, found {redis.Count}.");
            return problems;
        }

        var sts = redis[0];
        var c = sts.Containers.First();
        var args = Yaml.ListAt(c, "args").OfType<Scalar>().Select(s => s.Value).ToList();
        var aof = args.IndexOf("--appendonly");
        if (aof < 0 || aof + 1 >= args.Count || args[aof + 1] != "yes")
            problems.Add($"{set.Source}: {sts.Id} does not run with --appendonly yes.");
        var claims = Yaml.ListAt(sts.Root, "spec.volumeClaimTemplates").Select(t => Yaml.StrAt(t, "metadata.name")).ToList();
        var dataMount = Yaml.ListAt(c, "volumeMounts").FirstOrDefault(m => Yaml.StrAt(m, "mountPath") == "/data");
        if (dataMount is null || !claims.Contains(Yaml.StrAt(dataMount, "name")))
            problems.Add($"{set.Source}: {sts.Id} does not keep /data on a volumeClaimTemplate.");

        var redisEnv = ContainerEnv.Effective(ContainerEnv.Resolve(set, sts, c, problems));
        var password = redisEnv.GetValueOrDefault("REDIS_PASSWORD")?.Value;
        if (!args.Contains("$(REDIS_PASSWORD)") || string.IsNullOrEmpty(password))
            problems.Add($"{set.Source}: {sts.Id} does not require the password from its Secret.");

        foreach (var silo in set.Silos)
        {
            var env = ContainerEnv.Effective(ContainerEnv.Resolve(set, silo, SiloContainer(silo), problems));
            var conn = env.GetValueOrDefault("Vigil__Redis__ConnectionString")?.Value ?? "";
            var parts = conn.Split(',', StringSplitOptions.TrimEntries);
            var endpoint = parts[0].Split(':');
            var host = endpoint[0];
            var port = endpoint.Length > 1 ? endpoint[1] : "6379";
            var svc = set.Find("Service", host);
            if (svc is null || !ManifestSet.Selects(Yaml.StringMap(Yaml.At(svc.Root, "spec.selector")), sts.PodLabels)
                || !Yaml.ListAt(svc.Root, "spec.ports").Any(p => Yaml.StrAt(p, "port") == port))
                problems.Add($"{set.Source}: {silo.Id} connects to Redis at '{host}:{port}', which is no Service port in front of {sts.Id}.");
            var connPassword = parts.FirstOrDefault(p => p.StartsWith("password=", StringComparison.Ordinal))?["password=".Length..];
            if (connPassword != password)
                problems.Add($"{set.Source}: {silo.Id}'s Redis connection string carries a different password from the one Redis requires.");
        }

        return problems;
    }

    /// <summary>The silo container of a silo workload (named <c>silo</c>, or the only container).</summary>
    public static Dictionary<string, object?> SiloContainer(K8sObject silo) =>
        silo.Containers.FirstOrDefault(c => Yaml.StrAt(c, "name") == "silo") ?? silo.Containers.Single();

    public static Dictionary<string, EnvVar> SiloEnv(ManifestSet set, K8sObject silo)
    {
        var problems = new List<string>();
        var env = ContainerEnv.Effective(ContainerEnv.Resolve(set, silo, SiloContainer(silo), problems));
        return problems.Count == 0 ? env : throw new Xunit.Sdk.XunitException(string.Join(Environment.NewLine, problems));
    }

    /// <summary>The container port a Service/probe port (name or number) resolves to in a workload's pods.</summary>
    public static int? ContainerPort(K8sObject workload, string nameOrNumber)
    {
        foreach (var c in workload.Containers)
        {
            foreach (var p in Yaml.ListAt(c, "ports"))
            {
                var number = Int(Yaml.StrAt(p, "containerPort"));
                if (Yaml.StrAt(p, "name") == nameOrNumber || number?.ToString(CultureInfo.InvariantCulture) == nameOrNumber) return number;
            }
        }

        return null;
    }

    public static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static string Show(IReadOnlyDictionary<string, string> map) => "{" + string.Join(", ", map.Select(kv => $"{kv.Key}={kv.Value}")) + "}";

    private static void Expect(List<string> problems, ManifestSet set, K8sObject silo, Dictionary<string, EnvVar> env, string name,
        string? field = null, string? value = null)
    {
        if (!env.TryGetValue(name, out var v)) problems.Add($"{set.Source}: {silo.Id} does not set {name}.");
        else if (field is not null && v.FieldPath != field) problems.Add($"{set.Source}: {silo.Id} {name} comes from '{v.FieldPath ?? v.Value}', expected the downward-API field {field}.");
        else if (value is not null && v.Value != value) problems.Add($"{set.Source}: {silo.Id} {name} is '{v.Value}', expected '{value}'.");
    }

    private static void ExpectIdVar(List<string> problems, ManifestSet set, K8sObject silo, Dictionary<string, EnvVar> env, string name, string label, string? labelValue)
    {
        if (!env.TryGetValue(name, out var v)) problems.Add($"{set.Source}: {silo.Id} does not set {name}.");
        else if (v.FieldPath != $"metadata.labels['{label}']" && v.Value != labelValue)
            problems.Add($"{set.Source}: {silo.Id} {name} is neither the pod label {label} nor its value '{labelValue}'.");
    }
}
