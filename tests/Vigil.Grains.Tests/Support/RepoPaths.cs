using System.Runtime.CompilerServices;

namespace Vigil.Grains.Tests.Support;

internal static class RepoPaths
{
    /// <summary>The repository root (the folder holding Cluster.sln): above the test binaries, or above this source file
    /// when the build went to an --artifacts-path outside the checkout.</summary>
    public static string Root { get; } = Find();

    public static string Models => Path.Combine(Root, "models");

    private static string Find([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                    return dir.FullName;
        throw new DirectoryNotFoundException($"No Cluster.sln above {AppContext.BaseDirectory} or {sourceFile}.");
    }
}
