using Microsoft.Extensions.Options;
using Vigil.Access;
using Vigil.Silo.Configuration;

namespace Vigil.Silo.Access;

/// <summary>Where the silo looks up API keys that are not the configured operator key.</summary>
public enum KeyStoreKind
{
    /// <summary>One JSON file (<c>Vigil:Auth:KeyFile</c>, the file <c>vigil keys</c> writes by default): a single silo.</summary>
    File,

    /// <summary>The cluster's Redis (<c>Vigil:Redis</c>): every silo sees a new key or a revocation.</summary>
    Redis,
}

/// <summary>
/// <c>Vigil:Auth</c>: who may call the HTTP API. Read and checked once while the host is composed, so a bad value
/// stops the silo at start with a line naming the key (and never echoing a secret).
/// </summary>
public sealed record AuthOptions(bool Enabled, string? OperatorKey, KeyStoreKind Store, string KeyFile, TimeSpan Cache)
{
    public const string Section = "Vigil:Auth";
    public const string EnabledKey = Section + ":Enabled";
    public const string OperatorKeyKey = Section + ":OperatorKey";

    /// <summary>A configured operator key is long-lived and powerful: refuse a secret short enough to guess.</summary>
    public const int MinOperatorSecretLength = 32;

    private const double DefaultCacheSeconds = 5, MaxCacheSeconds = 60;

    /// <exception cref="OptionsValidationException">Every problem found, each naming its key.</exception>
    public static AuthOptions Read(IConfiguration configuration, HostSettings settings)
    {
        var section = configuration.GetSection(Section);
        var errors = new List<string>();

        var enabled = ReadSwitch(section["Enabled"], errors);

        var operatorKey = section["OperatorKey"];
        if (string.IsNullOrWhiteSpace(operatorKey))
        {
            operatorKey = null;
        }
        else if (!ApiKeyFormat.TryParse(operatorKey.Trim(), out _, out var secret))
        {
            errors.Add($"{OperatorKeyKey} is not a Vigil key (expected vk_<12 hex>_<secret>, as `vigil keys create --operator` prints); its value is not shown.");
        }
        else if (secret.Length < MinOperatorSecretLength)
        {
            errors.Add($"{OperatorKeyKey} has a secret of {secret.Length} characters; at least {MinOperatorSecretLength} are required (generate one with `vigil keys create --operator`).");
        }

        var store = settings.Clustering.UsesRedis ? KeyStoreKind.Redis : KeyStoreKind.File;
        var storeValue = section["Store"];
        if (!string.IsNullOrWhiteSpace(storeValue) && !Enum.TryParse(storeValue, ignoreCase: true, out store))
        {
            errors.Add($"{Section}:Store must be File or Redis (got '{storeValue}').");
        }
        else if (enabled && store == KeyStoreKind.Redis && string.IsNullOrWhiteSpace(settings.Redis.ConnectionString))
        {
            errors.Add($"{Section}:Store is Redis but {RedisOptions.Section}:ConnectionString is not set.");
        }

        var keyFile = section["KeyFile"];
        keyFile = string.IsNullOrWhiteSpace(keyFile) ? ApiKeyStores.DefaultFilePath() : Path.GetFullPath(keyFile);

        var cacheSeconds = DefaultCacheSeconds;
        var cacheValue = section["CacheSeconds"];
        if (!string.IsNullOrWhiteSpace(cacheValue) &&
            (!double.TryParse(cacheValue, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out cacheSeconds)
             || cacheSeconds is < 0 or > MaxCacheSeconds || double.IsNaN(cacheSeconds)))
        {
            errors.Add($"{Section}:CacheSeconds must be a number of seconds between 0 and {MaxCacheSeconds} (got '{cacheValue}'); it bounds how long a revoked key keeps working.");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Section, typeof(AuthOptions), errors);
        }

        return new AuthOptions(enabled, operatorKey?.Trim(), store, keyFile, TimeSpan.FromSeconds(cacheSeconds));
    }

    /// <summary>Never the operator key: a record's generated ToString would print it wherever options get logged.</summary>
    public override string ToString() =>
        $"{{ Enabled = {Enabled}, OperatorKey = {(OperatorKey is null ? "(none)" : "(set)")}, Store = {Store}, KeyFile = {KeyFile}, Cache = {Cache} }}";

    /// <summary>true/false, and on/off for the <c>--auth</c> switch.</summary>
    private static bool ReadSwitch(string? value, List<string> errors)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "":
            case "true" or "on":
                return true;
            case "false" or "off":
                return false;
            default:
                errors.Add($"{EnabledKey} (--auth) must be true/on or false/off (got '{value}').");
                return true;
        }
    }
}
