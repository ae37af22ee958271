using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace Vigil.Detectors.Bundles;

/// <summary>
/// Where the model registry keeps bundles in Redis, under one prefix (default <c>vigil:models</c>):
/// <list type="bullet">
/// <item><c>{prefix}:kinds</c>: a set of the detector kinds that have at least one version.</item>
/// <item><c>{prefix}:{kind}:versions</c>: a sorted set of that kind's versions, all with score 0, so Redis orders them
/// byte-wise, which is the ordinal order model grains use to decide which version is newer.</item>
/// <item><c>{prefix}:{kind}:{version}</c>: a hash holding the whole bundle: <c>manifest</c> (the manifest.json bytes),
/// <c>weights</c> (the weights file bytes), and for listing without fetching weights <c>weightsFile</c>,
/// <c>weightsSha256</c>, <c>weightsBytes</c>, <c>created</c>, <c>published</c>.</item>
/// </list>
/// A version is written once, in one transaction; it is never changed afterwards.
/// </summary>
public sealed partial class RedisBundleRegistryLayout(string prefix = RedisBundleRegistryLayout.DefaultPrefix)
{
    public const string DefaultPrefix = "vigil:models";

    internal const string ManifestField = "manifest";
    internal const string WeightsField = "weights";
    internal const string WeightsFileField = "weightsFile";
    internal const string WeightsShaField = "weightsSha256";
    internal const string WeightsBytesField = "weightsBytes";
    internal const string CreatedField = "created";
    internal const string PublishedField = "published";

    public string Prefix { get; } = string.IsNullOrWhiteSpace(prefix) ? throw new ArgumentException("The registry prefix must not be empty.", nameof(prefix)) : prefix;

    public RedisKey Kinds => $"{Prefix}:kinds";

    public RedisKey Versions(string kind) => $"{Prefix}:{kind}:versions";

    public RedisKey Bundle(string kind, string version) => $"{Prefix}:{kind}:{version}";

    /// <summary>
    /// Kinds and versions become folder names on every silo that mirrors the registry and parts of grain keys
    /// (<c>kind/version/slot</c>), so both are held to one safe path segment.
    /// </summary>
    public static bool IsSafeName(string? name) => name is not null && SafeName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex SafeName();
}
