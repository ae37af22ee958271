using Microsoft.Extensions.Options;
using Vigil.Grains.Models;
using Vigil.Grains.Options;

namespace Vigil.Grains.Tests;

public sealed class FolderModelCatalogTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("vigil-catalog-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Manifest(string relative, string json)
    {
        var dir = Path.Combine(root, relative);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "manifest.json"), json);
    }

    [Fact]
    public void The_newest_version_of_a_kind_wins_and_broken_or_foreign_manifests_are_no_candidates()
    {
        Manifest("lstm-dcnn", """{"kind":"lstm-dcnn","version":"20261122100000"}""");
        Manifest("lstm-dcnn/published", """{"kind":"lstm-dcnn","version":"20261123090000"}""");
        Manifest("lstm-dcnn/half-written", """{"kind":"lstm-dcnn","vers""");
        Manifest("lstm-dcnn/misfiled", """{"kind":"autoencoder","version":"20991231000000"}""");
        var catalog = new FolderModelCatalog(Microsoft.Extensions.Options.Options.Create(new ModelsOptions { Path = root }));

        var latest = catalog.FindLatest("lstm-dcnn");

        Assert.Equal(("20261123090000", Path.Combine(root, "lstm-dcnn", "published")), (latest?.Version, latest?.Directory));
        Assert.Equal(Path.Combine(root, "lstm-dcnn"), catalog.Find("lstm-dcnn", "20261122100000")?.Directory);
        Assert.Null(catalog.FindLatest("autoencoder"));
        Assert.Null(catalog.FindLatest("frame-cnn"));
    }
}
