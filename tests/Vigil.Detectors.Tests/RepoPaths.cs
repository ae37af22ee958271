using System.Runtime.CompilerServices;

namespace Vigil.Detectors.Tests;

/// <summary>The repository root (the folder with Cluster.sln), for the shipped models and the shared data beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    /// <summary>Walks up from the test binaries; when they are built outside the tree (<c>--artifacts-path</c>), from this
    /// source file instead.</summary>
    private static string Find([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile)! })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                    return dir.FullName;
        throw new DirectoryNotFoundException($"No folder with Cluster.sln above {AppContext.BaseDirectory} or {sourceFile}.");
    }
}
