using Vigil.Deploy.Tests.Support;

namespace Vigil.Deploy.Tests;

/// <summary>Renders k8s/overlays/cpu and k8s/overlays/gpu with the real <c>kubectl kustomize</c> and checks the result.</summary>
public class KustomizeTests
{
    public static TheoryData<string> Overlays => new() { "cpu", "gpu" };

    private static ManifestSet Render(string overlay) =>
        new($"k8s/overlays/{overlay}", Kubectl.Kustomize($"k8s/overlays/{overlay}"));

    private static void NoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

    [Theory, MemberData(nameof(Overlays))]
    public void Every_object_parses_and_is_named_in_the_vigil_namespace(string overlay)
    {
        var set = Render(overlay);
        Assert.NotEmpty(set.Objects);
        NoProblems(ManifestChecks.Structure(set, "vigil"));
        foreach (var kind in new[] { "Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Service", "StatefulSet", "Deployment", "PodDisruptionBudget", "HorizontalPodAutoscaler" })
            Assert.Contains(set.Objects, o => o.Kind == kind);
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Every_object_reads_strictly_into_the_kubernetes_api_types(string overlay) =>
        NoProblems(StrictSchema.Problems(Kubectl.Kustomize($"k8s/overlays/{overlay}"), $"k8s/overlays/{overlay}"));

    [Theory, MemberData(nameof(Overlays))]
    public void Selectors_of_workloads_services_pdbs_and_hpa_match_the_pods(string overlay) =>
        NoProblems(ManifestChecks.Selectors(Render(overlay)));

    [Theory, MemberData(nameof(Overlays))]
    public void Containers_pin_images_set_resources_and_run_as_non_root(string overlay) =>
        NoProblems(ManifestChecks.Containers(Render(overlay)));

    [Theory, MemberData(nameof(Overlays))]
    public void Silos_have_the_rbac_labels_and_pod_variables_orleans_kubernetes_hosting_needs(string overlay)
    {
        var set = Render(overlay);
        NoProblems(ManifestChecks.Rbac(set));
        NoProblems(ManifestChecks.OrleansHosting(set));
    }

    [Theory, MemberData(nameof(Overlays))]
    public void Silo_pools_share_the_cluster_wide_settings(string overlay) =>
        NoProblems(ManifestChecks.ClusterWideSettings(Render(overlay)));

    [Theory, MemberData(nameof(Overlays))]
    public void Every_environment_variable_is_one_the_silo_reads_with_a_value_of_the_right_type(string overlay) =>
        NoProblems(ManifestChecks.SiloEnvironment(Render(overlay)));

    [Theory, MemberData(nameof(Overlays))]
    public void Probes_point_at_the_silos_health_routes(string overlay) =>
        NoProblems(ManifestChecks.Probes(Render(overlay)));

    [Theory, MemberData(nameof(Overlays))]
    public void Grace_period_covers_prestop_and_the_host_shutdown_timeout(string overlay) =>
        NoProblems(ManifestChecks.Shutdown(Render(overlay)));

    [Theory, MemberData(nameof(Overlays))]
    public void Bundled_redis_persists_with_aof_and_the_silos_reach_it_with_its_password(string overlay) =>
        NoProblems(ManifestChecks.BundledRedis(Render(overlay)));

    [Theory, MemberData(nameof(Overlays))]
    public void The_http_service_maps_port_80_to_the_silos_8080(string overlay)
    {
        var set = Render(overlay);
        var svc = set.Get("Service", "vigil");
        var port = Assert.Single(Yaml.ListAt(svc.Root, "spec.ports"));
        Assert.Equal("80", Yaml.StrAt(port, "port"));
        var selector = Yaml.StringMap(Yaml.At(svc.Root, "spec.selector"));
        var silos = set.Silos.ToList();
        Assert.All(silos, s => Assert.True(ManifestSet.Selects(selector, s.PodLabels), $"Service/vigil does not reach {s.Id}"));
        Assert.All(silos, s => Assert.Equal(8080, ManifestChecks.ContainerPort(s, Yaml.StrAt(port, "targetPort")!)));
    }

    [Fact]
    public void Cpu_overlay_has_no_gpu_and_its_general_silos_host_the_model_grains()
    {
        var set = Render("cpu");
        var silo = Assert.Single(set.Silos);
        var env = ManifestChecks.SiloEnv(set, silo);
        Assert.Equal("true", env["Vigil__Silo__Accelerator"].Value);
        Assert.Equal("cpu", env["Vigil__Silo__Device"].Value);
        Assert.DoesNotContain(set.Workloads.SelectMany(w => w.Containers), c => Yaml.At(c, "resources.limits") is Dictionary<string, object?> l && l.ContainsKey("nvidia.com/gpu"));
        Assert.DoesNotContain(set.Workloads.SelectMany(w => w.Containers), c => (Yaml.StrAt(c, "image") ?? "").Contains("cuda", StringComparison.Ordinal));
        Assert.Equal("silo", silo.PodLabels["app.kubernetes.io/component"]);
        Assert.Single(set.OfKind("HorizontalPodAutoscaler"));
    }

    [Fact]
    public void Gpu_overlay_adds_an_accelerator_pool_that_requests_gpus_and_alone_hosts_model_grains()
    {
        var set = Render("gpu");
        var silos = set.Silos.ToList();
        Assert.Equal(2, silos.Count);
        var accel = Assert.Single(silos, s => s.PodLabels.GetValueOrDefault("app.kubernetes.io/component") == "accelerator-silo");
        var general = Assert.Single(silos, s => s != accel);

        var c = ManifestChecks.SiloContainer(accel);
        var gpuLimit = Yaml.MapAt(c, "resources.limits").GetValueOrDefault("nvidia.com/gpu") as Scalar;
        Assert.True(ManifestChecks.Int(gpuLimit?.Value) >= 1, $"the accelerator container's nvidia.com/gpu limit is '{gpuLimit}', expected at least 1");
        Assert.Contains("cuda", Yaml.StrAt(c, "image"), StringComparison.Ordinal);
        Assert.NotEmpty(Yaml.MapAt(accel.PodSpec, "nodeSelector"));
        Assert.Contains(Yaml.ListAt(accel.PodSpec, "tolerations"), t => Yaml.StrAt(t, "key") == "nvidia.com/gpu" && Yaml.StrAt(t, "effect") == "NoSchedule");

        var accelEnv = ManifestChecks.SiloEnv(set, accel);
        Assert.Equal("true", accelEnv["Vigil__Silo__Accelerator"].Value);
        Assert.Equal("cuda", accelEnv["Vigil__Silo__Device"].Value);

        var generalEnv = ManifestChecks.SiloEnv(set, general);
        Assert.Equal("false", generalEnv["Vigil__Silo__Accelerator"].Value);
        Assert.DoesNotContain("cuda", Yaml.StrAt(ManifestChecks.SiloContainer(general), "image"), StringComparison.Ordinal);
        Assert.False(Yaml.MapAt(ManifestChecks.SiloContainer(general), "resources.limits").ContainsKey("nvidia.com/gpu"));

        // The HPA scales general silos only: GPUs are not added by CPU load.
        var hpa = Assert.Single(set.OfKind("HorizontalPodAutoscaler"));
        Assert.Equal(general.Name, Yaml.StrAt(hpa.Root, "spec.scaleTargetRef.name"));
    }

    [Fact]
    public void Once_the_silo_host_exists_it_reads_every_agreed_key_and_serves_the_health_routes()
    {
        // The manifests are checked against the silo's sources once its host code exists, and against the agreed
        // contract before that; this says which agreed key or route the silo dropped or renamed.
        var source = SiloSource.Instance;
        if (source.SiloOptionsClasses == 0) return;
        var missing = AgreedConfiguration.Keys.Where(k => !source.Keys.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "The silo's sources read none of: " + string.Join(", ", missing));
        Assert.Contains("/healthz", source.GetRoutes);
        Assert.Contains("/readyz", source.GetRoutes);
    }
}
