using System.Runtime.CompilerServices;

namespace Vigil.Testing;

/// <summary>
/// The repository the tests belong to (the folder holding Cluster.sln) and the shared data beside it. One file, linked
/// into every test project by tests/Directory.Build.props.
/// </summary>
internal static class TestRepo
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The shipped model bundles.</summary>
    public static string Models => PathOf("models");

    /// <summary><c>../shared/data/{name}</c> beside the repository: NAB, Fashion-MNIST.</summary>
    public static string SharedData(string name) => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", name));

    /// <summary>Walks up from the test binaries; when they were built outside the tree (<c>--artifacts-path</c>), from
    /// this source file's compile-time path instead, which is always inside it.</summary>
    private static string Find([CallerFilePath] string here = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(here) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                    return dir.FullName;
        throw new DirectoryNotFoundException($"No folder with Cluster.sln above {AppContext.BaseDirectory} or {here}.");
    }
}
