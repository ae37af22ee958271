using System.Text.RegularExpressions;
using System.Xml.Linq;
using Vigil.Deploy.Tests.Support;

namespace Vigil.Deploy.Tests;

/// <summary>
/// Checks src/Vigil.Silo/Dockerfile and .dockerignore as far as can be done without a Docker engine: the stage
/// graph for both backends, the runtime bases, the publish command, the non-root user, the health check, and
/// that everything the build copies is in the build context.
/// </summary>
public class DockerfileTests
{
    private static readonly Dockerfile File_ = new(Repo.Read("src", "Vigil.Silo", "Dockerfile"));
    private static readonly DockerIgnore Ignore = new(Repo.Read(".dockerignore"));

    public static TheoryData<string> Backends => new() { "cpu", "cuda" };

    private static Dictionary<string, string> Args(string backend) => new() { ["TORCH_BACKEND"] = backend };

    [Fact]
    public void The_default_build_is_the_cpu_image() =>
        Assert.Equal("cpu", File_.GlobalArgs.GetValueOrDefault("TORCH_BACKEND"));

    [Theory, MemberData(nameof(Backends))]
    public void Each_backend_runs_on_an_ubuntu_24_04_base(string backend)
    {
        // Ubuntu 24.04's libstdc++ (GCC 14) has GLIBCXX_3.4.32, which libLibTorchSharp.so 0.107.0 needs; the
        // Debian 12 loader fix must not be what makes the image work.
        var chain = File_.BaseChain(File_.Final, Args(backend));
        var image = chain[^1];
        Assert.True(image.Contains("noble", StringComparison.Ordinal) || image.Contains("ubuntu24.04", StringComparison.Ordinal),
            $"{backend}: final base image is {image} (chain {string.Join(" <- ", chain)})");
        if (backend == "cuda") Assert.StartsWith("nvidia/cuda:", image, StringComparison.Ordinal);
        else Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", image, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_stage_publishes_the_silo_for_the_chosen_torch_backend()
    {
        var build = File_.Stages.Single(s => File_.Final.Instructions.Any(i => i.Keyword == "COPY" && i.Args.Contains($"--from={s.Name}", StringComparison.Ordinal)));
        Assert.Contains("dotnet/sdk:", File_.Expand(build.From, Args("cpu")), StringComparison.Ordinal);
        Assert.Contains("noble", File_.Expand(build.From, Args("cpu")), StringComparison.Ordinal);
        // A global ARG is visible inside a stage only when the stage declares it again.
        Assert.Contains(build.All("ARG"), a => a.Args == "TORCH_BACKEND");
        var publish = Assert.Single(build.All("RUN"), r => r.Args.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains("src/Vigil.Silo/Vigil.Silo.csproj", publish.Args, StringComparison.Ordinal);
        Assert.Contains("-p:TorchBackend=${TORCH_BACKEND}", publish.Args, StringComparison.Ordinal);
        Assert.Contains("-c Release", publish.Args, StringComparison.Ordinal);
    }

    [Fact]
    public void The_final_image_runs_the_silo_as_a_non_root_user_the_manifests_agree_with()
    {
        var user = File_.Final.All("USER").LastOrDefault()?.Args;
        Assert.NotNull(user);
        Assert.DoesNotContain(user, new[] { "0", "root", "0:0" });
        var entry = File_.Final.All("ENTRYPOINT").Last().Args;
        Assert.Contains("\"dotnet\"", entry, StringComparison.Ordinal);
        Assert.Contains($"\"{SiloAssemblyName()}.dll\"", entry, StringComparison.Ordinal);

        // The CUDA base has no such user until the Dockerfile makes it; the ASP.NET base ships uid 1654 as "app".
        var cuda = File_.StageNamed("runtime-cuda")!;
        Assert.Contains(cuda.All("RUN"), r => r.Args.Contains($"useradd --uid {user}", StringComparison.Ordinal));

        var set = new ManifestSet("k8s/overlays/gpu", Kubectl.Kustomize("k8s/overlays/gpu"));
        Assert.All(set.Silos, s => Assert.Equal(user, Yaml.StrAt(s.PodSpec, "securityContext.runAsUser")));
    }

    [Fact]
    public void The_health_check_and_exposed_port_match_the_silos_listen_url_and_route()
    {
        var env = File_.Final.All("ENV").SelectMany(e => Regex.Matches(e.Args, @"(\S+?)=(\S+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value))).ToDictionary();
        var url = new Uri(env["Vigil__Http__Urls"]);
        Assert.Equal("0.0.0.0", url.Host);
        var keys = AgreedConfiguration.SiloKeys;
        Assert.All(env.Keys.Where(k => k.StartsWith("Vigil__", StringComparison.Ordinal)), k => Assert.True(keys.ContainsKey(SiloSource.KeyOfEnvironmentName(k)), $"{k} is not read by the silo"));

        Assert.Contains(File_.Final.All("EXPOSE"), e => e.Args.Split(' ').Contains(url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var health = Assert.Single(File_.Final.All("HEALTHCHECK")).Args;
        Assert.Contains($"/dev/tcp/127.0.0.1/{url.Port}", health, StringComparison.Ordinal);
        Assert.Contains("GET /healthz ", health, StringComparison.Ordinal);
        Assert.Contains("/healthz", AgreedConfiguration.SiloRoutes);
    }

    [Fact]
    public void Everything_the_build_copies_is_in_the_context_and_model_bundles_are_not()
    {
        var copied = File_.Stages.SelectMany(s => s.All("COPY"))
            .Where(c => !c.Args.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(c => c.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).SkipLast(1))
            .Select(p => p.TrimEnd('/'))
            .ToList();
        Assert.NotEmpty(copied);
        foreach (var path in copied)
        {
            Assert.True(File.Exists(Repo.PathOf(path)) || Directory.Exists(Repo.PathOf(path)), $"COPY {path}: not in the repository");
            Assert.False(Ignore.Excludes(path), $"COPY {path}: excluded by .dockerignore");
        }

        // The silo and every project it references (transitively) must be inside what is copied.
        foreach (var project in ProjectClosure("src/Vigil.Silo/Vigil.Silo.csproj"))
        {
            Assert.True(copied.Any(c => project == c || project.StartsWith(c + "/", StringComparison.Ordinal)), $"{project} is referenced by the silo but not copied into the build");
            Assert.False(Ignore.Excludes(project), $"{project} is excluded by .dockerignore");
        }

        Assert.True(Ignore.Excludes("models/lstm-dcnn/manifest.json"), "model bundles must not be baked into the image");
        Assert.True(Ignore.Excludes("src/Vigil.Silo/bin/Debug/net10.0/Vigil.Silo.dll"), "local build output must stay out of the context");
        Assert.True(Ignore.Excludes("tests/Vigil.Deploy.Tests/KustomizeTests.cs"));
    }

    private static string SiloAssemblyName()
    {
        var csproj = XDocument.Load(Repo.PathOf("src", "Vigil.Silo", "Vigil.Silo.csproj"));
        return csproj.Descendants("AssemblyName").LastOrDefault()?.Value ?? "Vigil.Silo";
    }

    private static List<string> ProjectClosure(string project)
    {
        var seen = new List<string>();
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var p))
        {
            if (seen.Contains(p)) continue;
            seen.Add(p);
            var dir = Path.GetDirectoryName(Repo.PathOf(p))!;
            foreach (var reference in XDocument.Load(Repo.PathOf(p)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(dir, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                queue.Enqueue(Path.GetRelativePath(Repo.Root, full).Replace('\\', '/'));
            }
        }

        return seen;
    }
}
