namespace Vigil.Cli.Commands.Capacity;

/// <summary>
/// Finds a built <c>Vigil.Silo.dll</c> that <c>dotnet</c> can run (it has its runtimeconfig beside it) from where the
/// running <c>vigil.dll</c> was built: the artifacts layout (<c>bin/Vigil.Cli/&lt;config&gt;/</c> next to
/// <c>bin/Vigil.Silo/&lt;config&gt;/</c>) or the classic one (<c>src/Vigil.Silo/bin/&lt;Config&gt;/net10.0/</c>).
/// </summary>
public static class SiloLocator
{
    public const string FileName = "Vigil.Silo.dll";
    public const string BuildHint = "build it first: dotnet build src/Vigil.Silo -c Release (Release measures what is deployed)";

    /// <summary>The silo to run: <paramref name="explicitPath"/> when given (a dll or its folder), else the first candidate found.</summary>
    public static string Resolve(string? explicitPath, string baseDirectory, string workingDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            var path = Directory.Exists(explicitPath) ? Path.Combine(explicitPath, FileName) : explicitPath;
            if (!File.Exists(path)) throw new CliUserException($"--silo: no file '{Path.GetFullPath(path)}'; {BuildHint}.");
            if (!Runnable(path))
                throw new CliUserException($"--silo: '{Path.GetFullPath(path)}' has no {RuntimeConfig(path)} beside it, so dotnet cannot run it; point --silo at src/Vigil.Silo's own build output.");
            return Path.GetFullPath(path);
        }

        var candidates = Candidates(baseDirectory, workingDirectory).ToList();
        var found = candidates.FirstOrDefault(Runnable);
        if (found is not null) return found;
        throw new CliUserException($"no runnable {FileName} found (looked at {string.Join(", ", candidates.Distinct())}); {BuildHint}, or pass --silo <path to Vigil.Silo.dll>.");
    }

    /// <summary>Release before Debug: capacity figures are meant for the optimised build.</summary>
    public static IEnumerable<string> Candidates(string baseDirectory, string workingDirectory)
    {
        string[] configs = ["release", "Release", "debug", "Debug"];
        var bin = Path.GetFullPath(Path.Combine(baseDirectory, "..", ".."));
        foreach (var config in configs.Where(c => char.IsLower(c[0])))
            yield return Path.Combine(bin, "Vigil.Silo", config, FileName);

        foreach (var root in RepoRoots(baseDirectory, workingDirectory))
            foreach (var config in configs.Where(c => char.IsUpper(c[0])))
                yield return Path.Combine(root, "src", "Vigil.Silo", "bin", config, "net10.0", FileName);

        // A vigil built with the silo as a project reference carries a copy; it runs when its runtimeconfig came along.
        yield return Path.Combine(baseDirectory, FileName);
    }

    private static IEnumerable<string> RepoRoots(params string[] starts)
    {
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                {
                    yield return dir.FullName;
                    break;
                }
            }
        }
    }

    private static bool Runnable(string dll) => File.Exists(dll) && File.Exists(RuntimeConfig(dll));

    private static string RuntimeConfig(string dll) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dll))!, "Vigil.Silo.runtimeconfig.json");
}
