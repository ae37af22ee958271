using System.Security.Cryptography;
using System.Text.Json;

namespace Vigil.Detectors.Bundles;

/// <summary>
/// A trained detector on disk: a folder with <c>manifest.json</c> and the weights file it names, whose SHA-256
/// the manifest records. Loading verifies everything before returning, so nothing half-loads.
/// </summary>
public static class ModelBundle
{
    public const string ManifestFile = "manifest.json";

    /// <summary>Writes weights (via <paramref name="writeWeights"/> into a temp file), hashes them, then the manifest.</summary>
    public static BundleManifest Save(string directory, BundleManifest manifest, Action<string> writeWeights)
    {
        Directory.CreateDirectory(directory);
        var weightsPath = Path.Combine(directory, manifest.WeightsFile);
        var temp = weightsPath + ".tmp";
        writeWeights(temp);
        File.Move(temp, weightsPath, overwrite: true);
        var saved = manifest with { WeightsSha256 = Sha256Of(weightsPath) };
        var manifestTemp = Path.Combine(directory, ManifestFile + ".tmp");
        File.WriteAllText(manifestTemp, JsonSerializer.Serialize(saved, BundleManifest.Json));
        File.Move(manifestTemp, Path.Combine(directory, ManifestFile), overwrite: true);
        return saved;
    }

    /// <summary>Reads and checks the manifest and the weights' checksum; returns the manifest and the weights path.</summary>
    public static (BundleManifest Manifest, string WeightsPath) Open(string directory, string? expectedKind = null)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
            throw new BundleException($"'{manifestPath}' does not exist: '{directory}' is not a model bundle.");

        BundleManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BundleManifest>(File.ReadAllText(manifestPath), BundleManifest.Json)
                       ?? throw new BundleException($"'{manifestPath}' is empty.");
        }
        catch (JsonException e)
        {
            throw new BundleException($"'{manifestPath}' is not a valid manifest: {e.Message}", e);
        }

        if (MissingField(manifest) is { } missing)
            throw new BundleException($"'{manifestPath}' lacks '{missing}' (absent or null).");
        // The web defaults read "NaN" from a string and 1e400 as infinity; a threshold like that alerts never or always.
        if (!double.IsFinite(manifest.Threshold.RawValue) || !(manifest.Threshold.Score is >= 0 and <= 1))
            throw new BundleException(
                $"'{manifestPath}' has threshold raw {manifest.Threshold.RawValue} / score {manifest.Threshold.Score}; the raw value must be finite and the score in [0, 1].");
        if (manifest.Normalisation.Mean?.Any(v => !float.IsFinite(v)) == true || manifest.Normalisation.Std?.Any(v => !float.IsFinite(v)) == true)
            throw new BundleException($"'{manifestPath}' has a normalisation mean or std that is not finite.");
        if (manifest.Format != BundleManifest.CurrentFormat)
            throw new BundleException($"'{manifestPath}' has format {manifest.Format}; this Vigil reads format {BundleManifest.CurrentFormat}.");
        if (expectedKind is not null && manifest.Kind != expectedKind)
            throw new BundleException($"'{manifestPath}' holds a '{manifest.Kind}' detector, not '{expectedKind}'.");
        if (manifest.Window <= 0 || manifest.Channels <= 0 || manifest.Horizon < 0)
            throw new BundleException($"'{manifestPath}' declares an impossible shape (window {manifest.Window}, horizon {manifest.Horizon}, channels {manifest.Channels}).");
        if (manifest.WeightsFile.Contains('/') || manifest.WeightsFile.Contains('\\') || manifest.WeightsFile.Contains(".."))
            throw new BundleException($"'{manifestPath}' names weights file '{manifest.WeightsFile}' outside the bundle.");

        var weightsPath = Path.Combine(directory, manifest.WeightsFile);
        if (!File.Exists(weightsPath))
            throw new BundleException($"'{weightsPath}' is missing (named by '{manifestPath}').");
        var actual = Sha256Of(weightsPath);
        if (!string.Equals(actual, manifest.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new BundleException(
                $"'{weightsPath}' does not match its manifest: SHA-256 {actual}, manifest says {manifest.WeightsSha256} (corrupted or truncated?).");
        return (manifest, weightsPath);
    }

    /// <summary>
    /// The first required field a manifest lacks. JSON may say <c>null</c> where C# promises a value (required members
    /// are only checked for presence), and a detector built from such a manifest would fail later, when it is used.
    /// </summary>
    private static string? MissingField(BundleManifest m) =>
        string.IsNullOrEmpty(m.Kind) ? "kind"
        : string.IsNullOrEmpty(m.Version) ? "version"
        : m.Normalisation?.Mode is null ? "normalisation.mode"
        : m.Threshold is null ? "threshold"
        : m.Threshold.Rule is null ? "threshold.rule"
        : m.TrainingFingerprint is null ? "trainingFingerprint"
        : m.Hyperparameters is null ? "hyperparameters"
        : m.Evaluation is null ? "evaluation"
        : string.IsNullOrEmpty(m.WeightsFile) ? "weightsFile"
        : string.IsNullOrEmpty(m.WeightsSha256) ? "weightsSha256"
        : null;

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Default version string: UTC time, sortable, so a newer bundle compares greater.</summary>
    public static string NewVersion(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMddHHmmss");
}
