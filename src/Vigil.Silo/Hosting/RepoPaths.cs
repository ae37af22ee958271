namespace Vigil.Silo.Hosting;

/// <summary>
/// Finds the repository root (the folder holding <c>Cluster.sln</c>), so the default <c>models</c> folder and the
/// shared data beside the repo resolve whether the silo runs from the repo root, from <c>src/Vigil.Silo</c> or
/// from its build output.
/// </summary>
internal static class RepoPaths
{
    public const string Marker = "Cluster.sln";

    public static string? FindRoot(params string?[] starts)
    {
        foreach (var start in starts)
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>An absolute path as given; a relative one against the repo root when there is one, else the content root.</summary>
    public static string Resolve(string path, string? repoRoot, string contentRoot) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(path, repoRoot ?? contentRoot);
}
