namespace Vigil.Deploy.Tests.Support;

/// <summary>Paths inside the repository these tests check (the folder with Cluster.sln).</summary>
public static class Repo
{
    public static string Root => TestRepo.Root;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

}
