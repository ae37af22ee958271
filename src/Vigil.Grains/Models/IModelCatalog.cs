namespace Vigil.Grains.Models;

/// <summary>Where model grains look up bundles; the folder catalog by default, replaceable (tests, a registry).</summary>
public interface IModelCatalog
{
    /// <summary>The newest bundle of <paramref name="kind"/>, or null when none is published.</summary>
    BundleLocation? FindLatest(string kind);

    /// <summary>The bundle of <paramref name="kind"/> with exactly <paramref name="version"/>, or null.</summary>
    BundleLocation? Find(string kind, string version);
}
