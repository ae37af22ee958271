using System.Diagnostics;

namespace Vigil.Deploy.Tests.Support;

/// <summary>
/// The real kubectl and Helm binaries the tests run. kubectl: the one on PATH when its kustomize is v5, else
/// the pinned one from tools/install-deploy-tools.sh; Helm: always the pinned one (v3.17.2). The script is
/// run once when the binaries are missing; if it cannot install them the tests fail with its message rather
/// than skip, because these tests are the only check of the manifests.
/// </summary>
public static class DeployTools
{
    private static readonly Lazy<string> ToolsDir = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> KubectlPath = new(FindKubectl, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Helm => Path.Combine(ToolsDir.Value, "helm", "helm");

    public static string Kubectl => KubectlPath.Value;

    public static string InstallScript => Repo.PathOf("tests", "Vigil.Deploy.Tests", "tools", "install-deploy-tools.sh");

    /// <summary>Runs a tool; stdout on success, <see cref="ToolFailedException"/> with stderr otherwise.</summary>
    public static string Run(string exe, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var (code, stdout, stderr) = TryRun(exe, args, timeout);
        return code == 0 ? stdout : throw new ToolFailedException($"{Path.GetFileName(exe)} {string.Join(' ', args)} exited {code}: {stderr}", stderr);
    }

    public static (int Code, string Stdout, string Stderr) TryRun(string exe, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{exe} {string.Join(' ', args)} ran over {limit.TotalSeconds} s.");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindKubectl()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "kubectl");
            if (!File.Exists(candidate)) continue;
            // Debian's kubernetes-client is kubectl 1.20 with kustomize v2, which cannot read these overlays.
            var (code, stdout, _) = TryRun(candidate, ["version", "--client"]);
            if (code == 0 && stdout.Contains("Kustomize Version: v5", StringComparison.Ordinal)) return candidate;
        }

        return Path.Combine(ToolsDir.Value, "kubectl", "kubectl");
    }

    private static string Install()
    {
        var (code, stdout, stderr) = TryRun("bash", [InstallScript], TimeSpan.FromMinutes(5));
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"Helm and kubectl are needed by the deployment tests and {InstallScript} could not install them " +
                $"(exit {code}): {stderr.Trim()} — run it by hand, or set VIGIL_DEPLOY_TOOLS to a folder holding helm/helm and kubectl/kubectl.");
        }

        return stdout.Trim().Split('\n')[^1];
    }
}

public sealed class ToolFailedException(string message, string stderr) : Exception(message)
{
    public string Stderr { get; } = stderr;
}

/// <summary>kubectl kustomize, rendered once per overlay.</summary>
public static class Kubectl
{
    private static readonly Dictionary<string, string> Cache = new();
    private static readonly Lock Gate = new();

    public static string Kustomize(string relativeDir)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(relativeDir, out var yaml))
                Cache[relativeDir] = yaml = DeployTools.Run(DeployTools.Kubectl, ["kustomize", Repo.PathOf(relativeDir)]);
            return yaml;
        }
    }
}

/// <summary>helm template / helm lint of helm/vigil with values given as JSON (Helm reads JSON as YAML).</summary>
public static class HelmChart
{
    public const string Release = "vigil";
    public const string Namespace = "vigil";

    public static string ChartDir => Repo.PathOf("helm", "vigil");

    public static string Template(string valuesJson)
    {
        var (code, stdout, stderr) = TryTemplate(valuesJson);
        return code == 0 ? stdout : throw new ToolFailedException($"helm template exited {code}: {stderr}", stderr);
    }

    public static (int Code, string Stdout, string Stderr) TryTemplate(string valuesJson) =>
        WithValuesFile(valuesJson, file => DeployTools.TryRun(DeployTools.Helm, ["template", Release, ChartDir, "--namespace", Namespace, "--values", file]));

    public static (int Code, string Stdout, string Stderr) Lint(string valuesJson) =>
        WithValuesFile(valuesJson, file => DeployTools.TryRun(DeployTools.Helm, ["lint", ChartDir, "--strict", "--namespace", Namespace, "--values", file]));

    private static T WithValuesFile<T>(string json, Func<string, T> run)
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-deploy-values-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            return run(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
