using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using StackExchange.Redis;

namespace Vigil.Detectors.Bundles;

/// <summary>
/// The model registry in Redis (layout: <see cref="RedisBundleRegistryLayout"/>): <c>vigil models publish</c> writes
/// verified bundles into it; silos mirror them into a local folder and load them from there exactly like shipped
/// bundles, so checksum verification stays in <see cref="ModelBundle.Open"/>. Every await here uses
/// <c>ConfigureAwait(false)</c>: silos call it from code that may run on the Orleans scheduler.
/// </summary>
public sealed class RedisBundleRegistry(IDatabase database, RedisBundleRegistryLayout? layout = null)
{
    /// <summary>Redis refuses values over 512 MB; bundles are a few MB, so anything near that is a mistake.</summary>
    public const long MaxWeightsBytes = 256L * 1024 * 1024;

    /// <summary>Folder, under the mirror root, where a bundle is written and verified before it becomes visible.</summary>
    public const string IncomingFolder = ".incoming";

    private static readonly string[] KnownKinds = [DetectorKinds.LstmDcnn, DetectorKinds.Autoencoder, DetectorKinds.FrameCnn];

    public RedisBundleRegistryLayout Layout { get; } = layout ?? new RedisBundleRegistryLayout();

    /// <summary>
    /// Verifies the bundle in <paramref name="bundleDirectory"/> (manifest and SHA-256, like a silo would) and stores it
    /// under its kind and version. Publishing the same bytes again is a no-op; different bytes under an existing
    /// version are refused, because silos that already loaded that version would never see the change.
    /// </summary>
    /// <exception cref="BundleException">The bundle is not valid, or its version is taken by different bytes.</exception>
    public async Task<PublishOutcome> PublishAsync(string bundleDirectory, DateTimeOffset now)
    {
        var (manifest, weightsPath) = ModelBundle.Open(bundleDirectory);
        var manifestPath = Path.Combine(bundleDirectory, ModelBundle.ManifestFile);
        if (!KnownKinds.Contains(manifest.Kind))
            throw new BundleException($"'{manifestPath}' holds kind '{manifest.Kind}'; the registry takes {string.Join(", ", KnownKinds)}.");
        if (!RedisBundleRegistryLayout.IsSafeName(manifest.Version))
            throw new BundleException(
                $"'{manifestPath}' has version '{manifest.Version}'; a published version must be 1-128 letters, digits, '.', '_' or '-' (it becomes a folder name and part of grain keys).");
        var weightsLength = new FileInfo(weightsPath).Length;
        if (weightsLength > MaxWeightsBytes)
            throw new BundleException($"'{weightsPath}' is {weightsLength:N0} bytes; the registry takes at most {MaxWeightsBytes:N0}. Mount large bundles as a volume instead.");

        var manifestBytes = await File.ReadAllBytesAsync(manifestPath).ConfigureAwait(false);
        var weights = await File.ReadAllBytesAsync(weightsPath).ConfigureAwait(false);
        // The file could have changed since Open hashed it; store only bytes that match the manifest.
        var sha = Convert.ToHexStringLower(SHA256.HashData(weights));
        if (!string.Equals(sha, manifest.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new BundleException($"'{weightsPath}' changed while it was being published (SHA-256 {sha}, manifest says {manifest.WeightsSha256}).");

        var bundle = new PublishedBundle(manifest.Kind, manifest.Version, manifest.Created, now, manifest.WeightsFile, sha, weights.LongLength);
        var key = Layout.Bundle(manifest.Kind, manifest.Version);
        var transaction = database.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(key));
        _ = transaction.HashSetAsync(key,
        [
            new(RedisBundleRegistryLayout.ManifestField, manifestBytes),
            new(RedisBundleRegistryLayout.WeightsField, weights),
            new(RedisBundleRegistryLayout.WeightsFileField, manifest.WeightsFile),
            new(RedisBundleRegistryLayout.WeightsShaField, sha),
            new(RedisBundleRegistryLayout.WeightsBytesField, weights.LongLength),
            new(RedisBundleRegistryLayout.CreatedField, manifest.Created.ToString("O", CultureInfo.InvariantCulture)),
            new(RedisBundleRegistryLayout.PublishedField, now.ToString("O", CultureInfo.InvariantCulture)),
        ]);
        _ = transaction.SortedSetAddAsync(Layout.Versions(manifest.Kind), manifest.Version, 0);
        _ = transaction.SetAddAsync(Layout.Kinds, manifest.Kind);
        if (await transaction.ExecuteAsync().ConfigureAwait(false))
            return new PublishOutcome(bundle, AlreadyPublished: false);

        // The version exists: fine if it is byte for byte this bundle, refused otherwise.
        var stored = await database.HashGetAsync(key, [RedisBundleRegistryLayout.ManifestField, RedisBundleRegistryLayout.WeightsShaField]).ConfigureAwait(false);
        var sameManifest = stored[0].HasValue && ((byte[])stored[0]!).AsSpan().SequenceEqual(manifestBytes);
        var sameWeights = string.Equals((string?)stored[1], sha, StringComparison.OrdinalIgnoreCase);
        if (!sameManifest || !sameWeights)
            throw new BundleException(
                $"{manifest.Kind} version {manifest.Version} is already published with different {(sameWeights ? "manifest" : "weights")} ('{(sameWeights ? manifestPath : weightsPath)}' differs); " +
                "a published version never changes: train or save the bundle under a new version.");
        return new PublishOutcome(await FindAsync(manifest.Kind, manifest.Version).ConfigureAwait(false) ?? bundle, AlreadyPublished: true);
    }

    /// <summary>Kinds with at least one version, sorted.</summary>
    public async Task<IReadOnlyList<string>> KindsAsync()
    {
        var members = await database.SetMembersAsync(Layout.Kinds).ConfigureAwait(false);
        return members.Select(m => (string)m!).Where(RedisBundleRegistryLayout.IsSafeName).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Versions of <paramref name="kind"/>, newest first (ordinal order, as model grains compare them).</summary>
    public async Task<IReadOnlyList<string>> VersionsAsync(string kind)
    {
        var members = await database.SortedSetRangeByValueAsync(Layout.Versions(kind), order: Order.Descending).ConfigureAwait(false);
        return members.Select(m => (string)m!).ToList();
    }

    /// <summary>Every published version (of one kind, or of all), newest first within each kind; weights stay in Redis.</summary>
    public async Task<IReadOnlyList<PublishedBundle>> ListAsync(string? kind = null)
    {
        var result = new List<PublishedBundle>();
        foreach (var k in kind is null ? await KindsAsync().ConfigureAwait(false) : [kind])
        foreach (var version in await VersionsAsync(k).ConfigureAwait(false))
            if (await FindAsync(k, version).ConfigureAwait(false) is { } bundle)
                result.Add(bundle);
        return result;
    }

    /// <summary>One version's listing, or null when it is not published.</summary>
    public async Task<PublishedBundle?> FindAsync(string kind, string version)
    {
        var fields = await database.HashGetAsync(Layout.Bundle(kind, version),
        [
            RedisBundleRegistryLayout.CreatedField, RedisBundleRegistryLayout.PublishedField, RedisBundleRegistryLayout.WeightsFileField,
            RedisBundleRegistryLayout.WeightsShaField, RedisBundleRegistryLayout.WeightsBytesField,
        ]).ConfigureAwait(false);
        if (fields.All(f => f.IsNull))
            return null;
        return new PublishedBundle(kind, version, Time(fields[0]), Time(fields[1]), (string?)fields[2] ?? "", (string?)fields[3] ?? "",
            fields[4].TryParse(out long bytes) ? bytes : 0);
    }

    /// <summary>
    /// Copies one version into <c>&lt;root&gt;/&lt;kind&gt;/&lt;version&gt;/</c> (the layout the folder catalog reads), but
    /// only after <see cref="ModelBundle.Open"/> has verified it in a staging folder: a corrupt bundle never appears
    /// there. Returns the bundle folder; a version already mirrored is not fetched again.
    /// </summary>
    /// <exception cref="BundleException">The version is not published, or fails verification (the message says why).</exception>
    public async Task<string> MirrorAsync(string kind, string version, string root)
    {
        if (!RedisBundleRegistryLayout.IsSafeName(kind) || !RedisBundleRegistryLayout.IsSafeName(version))
            throw new BundleException($"Registry entry '{kind}' '{version}' is not a valid kind and version; it is not mirrored.");
        var target = Path.Combine(root, kind, version);
        if (File.Exists(Path.Combine(target, ModelBundle.ManifestFile)))
            return target;

        var key = Layout.Bundle(kind, version);
        var fields = await database.HashGetAsync(key, [RedisBundleRegistryLayout.ManifestField, RedisBundleRegistryLayout.WeightsField]).ConfigureAwait(false);
        if (fields[0].IsNull || fields[1].IsNull)
            throw new BundleException($"Redis key '{key}' holds no complete bundle ({kind} {version} is listed but its manifest or weights are missing).");

        var manifestBytes = (byte[])fields[0]!;
        var weightsFile = WeightsFileOf(manifestBytes, key);
        var staging = Path.Combine(root, IncomingFolder, $"{kind}-{version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(staging, ModelBundle.ManifestFile), manifestBytes).ConfigureAwait(false);
            await File.WriteAllBytesAsync(Path.Combine(staging, weightsFile), (byte[])fields[1]!).ConfigureAwait(false);
            BundleManifest manifest;
            try
            {
                manifest = ModelBundle.Open(staging, kind).Manifest;
            }
            catch (BundleException e)
            {
                // The staging folder is about to vanish; name the Redis key the bad bytes came from instead.
                throw new BundleException($"{kind} {version} from the Redis registry is refused: {e.Message.Replace(staging, $"redis:{key}", StringComparison.Ordinal)}", e);
            }
            if (manifest.Version != version)
                throw new BundleException($"{kind} {version} from the Redis registry is refused: its manifest says version '{manifest.Version}' (key '{key}').");

            Directory.CreateDirectory(Path.Combine(root, kind));
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, ModelBundle.ManifestFile)))
            {
                // Another process mirrored the same version first; versions never change, so theirs is ours.
            }
            return target;
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static string WeightsFileOf(byte[] manifestBytes, RedisKey key)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<BundleManifest>(manifestBytes, BundleManifest.Json);
            var file = manifest?.WeightsFile;
            // Open checks this too, but the file is written before Open runs, so a hostile name must not get that far.
            if (string.IsNullOrEmpty(file) || file != Path.GetFileName(file) || file.Contains("..") || file == ModelBundle.ManifestFile)
                throw new BundleException($"Redis key '{key}' has a manifest naming weights file '{file}', which is not a plain file name.");
            return file;
        }
        catch (JsonException e)
        {
            throw new BundleException($"Redis key '{key}' holds a manifest that is not valid JSON: {e.Message}", e);
        }
    }

    private static DateTimeOffset Time(RedisValue value) =>
        DateTimeOffset.TryParse((string?)value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : default;
}
