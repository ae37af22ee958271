using System.Runtime.CompilerServices;

namespace Vigil.Deploy.Tests.Support;

/// <summary>Paths inside the repository these tests check (the folder with Cluster.sln).</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    // Builds go to an --artifacts-path outside the checkout, so the output folder may have no Cluster.sln above
    // it; the compile-time path of this file always does.
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No folder with Cluster.sln above {AppContext.BaseDirectory} or {sourceFile}.");
    }
}
