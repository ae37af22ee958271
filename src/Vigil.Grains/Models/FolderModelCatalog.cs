using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vigil.Detectors.Bundles;
using Vigil.Grains.Options;

namespace Vigil.Grains.Models;

/// <summary>
/// Bundles in a folder: <c>&lt;root&gt;/&lt;kind&gt;/manifest.json</c> (the shipped default) and any
/// <c>&lt;root&gt;/&lt;kind&gt;/&lt;anything&gt;/manifest.json</c> (published later). Reads only each manifest's kind and
/// version, so polling is cheap; the loader verifies checksums when a bundle is actually loaded.
/// </summary>
public sealed class FolderModelCatalog(IOptions<ModelsOptions> options, IHostEnvironment? environment = null) : IModelCatalog
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Root { get; } = Path.GetFullPath(options.Value.Path, environment?.ContentRootPath ?? Directory.GetCurrentDirectory());

    public BundleLocation? FindLatest(string kind) =>
        Candidates(kind).OrderByDescending(b => b.Version, StringComparer.Ordinal).FirstOrDefault();

    public BundleLocation? Find(string kind, string version) =>
        Candidates(kind).FirstOrDefault(b => b.Version == version);

    private IEnumerable<BundleLocation> Candidates(string kind)
    {
        var kindDir = Path.Combine(Root, kind);
        if (!Directory.Exists(kindDir))
            yield break;
        if (Read(kindDir, kind) is { } own)
            yield return own;
        foreach (var sub in Directory.EnumerateDirectories(kindDir))
            if (Read(sub, kind) is { } published)
                yield return published;
    }

    private static BundleLocation? Read(string dir, string kind)
    {
        var manifestPath = Path.Combine(dir, ModelBundle.ManifestFile);
        if (!File.Exists(manifestPath))
            return null;
        try
        {
            var head = JsonSerializer.Deserialize<ManifestHead>(File.ReadAllText(manifestPath), Json);
            return head?.Kind == kind && !string.IsNullOrEmpty(head.Version) ? new BundleLocation(kind, head.Version, dir) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // A bundle being written right now (or a broken one) is not a candidate; the loader reports real errors.
            return null;
        }
    }

    private sealed record ManifestHead(string? Kind, string? Version);
}
