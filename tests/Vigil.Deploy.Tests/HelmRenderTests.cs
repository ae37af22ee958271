using Vigil.Deploy.Tests.Support;

namespace Vigil.Deploy.Tests;

/// <summary>
/// Renders helm/vigil with the real Helm (v3.17.2, see tools/install-deploy-tools.sh) for each install variant
/// the README shows, and runs on the output the same checks as on the kustomize overlays. Helm also validates
/// the values against values.schema.json itself, so the bad values rejected by NJsonSchema must fail here too.
/// </summary>
public class HelmRenderTests
{
    private const string ExternalRedisSecret = "vigil-redis-external";

    private static ManifestSet Render(string variant, string overrides) =>
        new($"helm/vigil ({variant})", HelmChart.Template(overrides), HelmChart.Namespace,
            overrides.Contains(ExternalRedisSecret, StringComparison.Ordinal) ? [ExternalRedisSecret] : []);

    private static void NoProblems(List<string> problems) =>
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

    public static TheoryData<string, string> Installs => HelmChartTests.Installs;

    [Theory, MemberData(nameof(Installs))]
    public void Helm_lint_strict_passes(string variant, string overrides)
    {
        var (code, stdout, stderr) = HelmChart.Lint(overrides);
        Assert.True(code == 0, $"{variant}: helm lint --strict failed:{Environment.NewLine}{stdout}{stderr}");
    }

    [Theory, MemberData(nameof(Installs))]
    public void The_rendered_chart_passes_the_manifest_checks(string variant, string overrides)
    {
        var yaml = HelmChart.Template(overrides);
        var set = new ManifestSet($"helm/vigil ({variant})", yaml, HelmChart.Namespace,
            overrides.Contains(ExternalRedisSecret, StringComparison.Ordinal) ? [ExternalRedisSecret] : []);
        var problems = StrictSchema.Problems(yaml, set.Source);
        problems.AddRange(ManifestChecks.Structure(set, HelmChart.Namespace));
        problems.AddRange(ManifestChecks.Selectors(set));
        problems.AddRange(ManifestChecks.Containers(set));
        problems.AddRange(ManifestChecks.Rbac(set));
        problems.AddRange(ManifestChecks.OrleansHosting(set));
        problems.AddRange(ManifestChecks.ClusterWideSettings(set));
        problems.AddRange(ManifestChecks.SiloEnvironment(set));
        problems.AddRange(ManifestChecks.Probes(set));
        problems.AddRange(ManifestChecks.Shutdown(set));
        if (set.ExternalSecrets.Count == 0) problems.AddRange(ManifestChecks.BundledRedis(set));
        NoProblems(problems);
    }

    [Fact]
    public void Cpu_only_install_puts_the_model_grains_on_the_general_silos_and_asks_for_no_gpu()
    {
        var set = Render("cpu only", "{}");
        var silo = Assert.Single(set.Silos);
        var env = ManifestChecks.SiloEnv(set, silo);
        Assert.Equal("true", env["Vigil__Silo__Accelerator"].Value);
        Assert.Equal("cpu", env["Vigil__Silo__Device"].Value);
        Assert.DoesNotContain(set.Workloads.SelectMany(w => w.Containers), c => Yaml.MapAt(c, "resources.limits").ContainsKey("nvidia.com/gpu"));
        Assert.Single(set.OfKind("HorizontalPodAutoscaler"));
        Assert.Single(set.OfKind("StatefulSet"));
        // No OTLP endpoint by default: nothing exported, nothing failing.
        Assert.False(env.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    [Fact]
    public void Gpu_pool_install_adds_accelerator_silos_that_request_gpus_and_alone_host_model_grains()
    {
        var set = Render("gpu pool", """{"accelerator":{"enabled":true,"replicas":2,"gpusPerPod":1}}""");
        var accel = Assert.Single(set.Silos, s => s.PodLabels.GetValueOrDefault("app.kubernetes.io/component") == "accelerator-silo");
        var general = Assert.Single(set.Silos, s => s != accel);
        var c = ManifestChecks.SiloContainer(accel);
        Assert.Equal("1", (Yaml.MapAt(c, "resources.limits").GetValueOrDefault("nvidia.com/gpu") as Scalar)?.Value);
        Assert.Equal("2", Yaml.StrAt(accel.Root, "spec.replicas"));
        Assert.Contains("vigil-silo-cuda:", Yaml.StrAt(c, "image"), StringComparison.Ordinal);
        Assert.NotEmpty(Yaml.MapAt(accel.PodSpec, "nodeSelector"));
        Assert.Contains(Yaml.ListAt(accel.PodSpec, "tolerations"), t => Yaml.StrAt(t, "key") == "nvidia.com/gpu");
        Assert.Equal("true", ManifestChecks.SiloEnv(set, accel)["Vigil__Silo__Accelerator"].Value);
        Assert.Equal("cuda", ManifestChecks.SiloEnv(set, accel)["Vigil__Silo__Device"].Value);
        Assert.Equal("256", ManifestChecks.SiloEnv(set, accel)["Vigil__Batching__MaxBatchSize"].Value);
        Assert.Equal("false", ManifestChecks.SiloEnv(set, general)["Vigil__Silo__Accelerator"].Value);
        Assert.False(Yaml.MapAt(ManifestChecks.SiloContainer(general), "resources.limits").ContainsKey("nvidia.com/gpu"));
        Assert.Equal(2, set.OfKind("PodDisruptionBudget").Count());
    }

    [Fact]
    public void External_redis_install_renders_no_redis_and_reads_the_connection_string_from_the_users_secret()
    {
        var set = Render("external redis",
            """{"redis":{"bundled":false,"external":{"existingSecret":"vigil-redis-external","connectionStringKey":"redis-url"}}}""");
        Assert.Empty(set.OfKind("StatefulSet"));
        Assert.DoesNotContain(set.OfKind("Secret"), s => s.Name.Contains("redis", StringComparison.Ordinal));
        Assert.All(set.Silos, s => Assert.Equal($"{ExternalRedisSecret}/redis-url", ManifestChecks.SiloEnv(set, s)["Vigil__Redis__ConnectionString"].SecretRef));
    }

    [Fact]
    public void Folder_models_install_mounts_the_volume_read_only_at_the_models_path()
    {
        var set = Render("models on a volume", """{"models":{"source":"Folder","path":"/models","volume":{"persistentVolumeClaim":{"claimName":"vigil-models"}}}}""");
        var silo = Assert.Single(set.Silos);
        var env = ManifestChecks.SiloEnv(set, silo);
        Assert.Equal("Folder", env["Vigil__Models__Source"].Value);
        Assert.Equal("/models", env["Vigil__Models__Path"].Value);
        var mount = Assert.Single(Yaml.ListAt(ManifestChecks.SiloContainer(silo), "volumeMounts"), m => Yaml.StrAt(m, "mountPath") == "/models");
        Assert.Equal("true", Yaml.StrAt(mount, "readOnly"));
        var volume = Assert.Single(Yaml.ListAt(silo.PodSpec, "volumes"), v => Yaml.StrAt(v, "name") == Yaml.StrAt(mount, "name"));
        Assert.Equal("vigil-models", Yaml.StrAt(volume, "persistentVolumeClaim.claimName"));
    }

    [Fact]
    public void Telemetry_values_reach_the_silos_environment()
    {
        var set = Render("traces", """{"telemetry":{"otlpEndpoint":"http://jaeger-collector.observability:4318","otlpProtocol":"http/protobuf","traceSampleRatio":0.25}}""");
        var env = ManifestChecks.SiloEnv(set, Assert.Single(set.Silos));
        Assert.Equal("http://jaeger-collector.observability:4318", env["OTEL_EXPORTER_OTLP_ENDPOINT"].Value);
        Assert.Equal("http/protobuf", env["OTEL_EXPORTER_OTLP_PROTOCOL"].Value);
        Assert.Equal("0.25", env["Vigil__Telemetry__TraceSampleRatio"].Value);
        Assert.Equal("vigil", env["OTEL_SERVICE_NAME"].Value);
    }

    [Fact]
    public void Scoring_values_reach_the_silos_environment()
    {
        var plain = Render("defaults", "{}");
        var defaults = ManifestChecks.SiloEnv(plain, Assert.Single(plain.Silos));
        Assert.Equal(("lstm-dcnn", "1", "10"), (defaults["Vigil__Scoring__Detector"].Value, defaults["Vigil__Scoring__FalseAlertsPerDay"].Value,
            defaults["Vigil__Scoring__CameraFalseAlertsPerDay"].Value));
        var set = Render("quiet", """{"scoring":{"detector":"autoencoder","falseAlertsPerDay":0.25,"cameraFalseAlertsPerDay":2}}""");
        var env = ManifestChecks.SiloEnv(set, Assert.Single(set.Silos));
        Assert.Equal(("autoencoder", "0.25", "2"), (env["Vigil__Scoring__Detector"].Value, env["Vigil__Scoring__FalseAlertsPerDay"].Value,
            env["Vigil__Scoring__CameraFalseAlertsPerDay"].Value));
    }

    [Fact]
    public void Upgrades_keep_a_fixed_redis_password_and_fixed_replicas_disable_the_hpa()
    {
        var set = Render("fixed", """{"redis":{"password":"s3cret-pass"},"silo":{"replicas":4,"autoscaling":{"enabled":false}}}""");
        Assert.Empty(set.OfKind("HorizontalPodAutoscaler"));
        Assert.Equal("4", Yaml.StrAt(set.Get("Deployment", "vigil-silo").Root, "spec.replicas"));
        var secret = ContainerEnv.Data(set.Get("Secret", "vigil-redis"));
        Assert.Equal("s3cret-pass", secret["password"]);
        Assert.Equal("vigil-redis:6379,password=s3cret-pass,abortConnect=false", secret["connection-string"]);
    }

    [Fact]
    public void The_chart_and_the_kustomize_overlays_give_silos_the_same_environment_names()
    {
        static HashSet<string> Names(ManifestSet set) => set.Silos.SelectMany(s => ManifestChecks.SiloEnv(set, s).Keys).ToHashSet();
        var chart = Names(Render("cpu only", "{}"));
        chart.UnionWith(Names(Render("gpu pool + otlp", """{"accelerator":{"enabled":true},"telemetry":{"otlpEndpoint":"http://c:4317"}}""")));
        var kustomize = new[] { "cpu", "gpu" }.Select(o => new ManifestSet(o, Kubectl.Kustomize($"k8s/overlays/{o}"))).SelectMany(Names).ToHashSet();
        Assert.True(chart.SetEquals(kustomize),
            $"only in the chart: {string.Join(", ", chart.Except(kustomize))}; only in k8s/: {string.Join(", ", kustomize.Except(chart))}");
    }

    public static TheoryData<string, string> BadValues => HelmChartTests.BadValues;

    [Theory, MemberData(nameof(BadValues))]
    public void Helm_refuses_the_values_the_schema_test_rejects(string what, string overrides)
    {
        var (code, _, stderr) = HelmChart.TryTemplate(overrides);
        Assert.True(code != 0, $"helm template accepted {what}");
        Assert.Contains("values don't meet the specifications of the schema", stderr, StringComparison.Ordinal);
    }

    // Cross-field rules live in the templates (required/fail), whose messages name the keys; a JSON-schema
    // anyOf would only say "Must validate at least one schema".
    public static TheoryData<string, string, string> Incoherent => new()
    {
        { "grace period shorter than preStop + host shutdown", """{"shutdown":{"terminationGracePeriodSeconds":60}}""", "shutdown.terminationGracePeriodSeconds (60) must exceed" },
        { "external redis without a secret", """{"redis":{"bundled":false}}""", "redis.external.existingSecret is required when redis.bundled is false" },
        { "Folder models without a volume", """{"models":{"source":"Folder"}}""", "models.volume is required when models.source is Folder" },
        { "existing service account without a name", """{"serviceAccount":{"create":false}}""", "serviceAccount.name is required when serviceAccount.create is false" },
    };

    [Theory, MemberData(nameof(Incoherent))]
    public void Helm_refuses_incoherent_values_naming_the_keys(string what, string overrides, string message)
    {
        var (code, _, stderr) = HelmChart.TryTemplate(overrides);
        Assert.True(code != 0, $"helm template accepted {what}");
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
