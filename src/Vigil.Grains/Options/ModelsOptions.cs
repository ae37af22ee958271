namespace Vigil.Grains.Options;

/// <summary><c>Vigil:Models</c>: where model grains find bundles.</summary>
public sealed class ModelsOptions
{
    public const string Section = "Vigil:Models";

    /// <summary>Folder of bundles: <c>&lt;Path&gt;/&lt;kind&gt;/manifest.json</c> and/or <c>&lt;Path&gt;/&lt;kind&gt;/&lt;version&gt;/manifest.json</c>.</summary>
    public string Path { get; set; } = "models";

    public const string FolderSource = "Folder";
    public const string RedisSource = "Redis";

    /// <summary><c>Folder</c>: bundles in <see cref="Path"/> (shipped or mounted). <c>Redis</c>: bundles published with
    /// <c>vigil models publish</c> into the silo's Redis, mirrored into <see cref="Path"/> and loaded from there.</summary>
    public string Source { get; set; } = FolderSource;

    /// <summary>How often a model grain looks for a newer bundle of its kind (hot swap).</summary>
    public double RefreshSeconds { get; set; } = 10;

    public IEnumerable<string> Validate()
    {
        if (!string.Equals(Source, FolderSource, StringComparison.OrdinalIgnoreCase) && !string.Equals(Source, RedisSource, StringComparison.OrdinalIgnoreCase))
            yield return $"{Section}:Source must be {FolderSource} or {RedisSource} (is '{Source}').";
        if (string.IsNullOrWhiteSpace(Path)) yield return $"{Section}:Path must name a folder of model bundles.";
        if (!(RefreshSeconds >= 0.1 && RefreshSeconds <= 3600)) yield return $"{Section}:RefreshSeconds must be 0.1..3600 (is {RefreshSeconds}).";
    }
}
