using StackExchange.Redis;

namespace Vigil.Access;

/// <summary>Picks the store the silo and `vigil keys` share: Redis when a connection string is given, else the key file.</summary>
public static class ApiKeyStores
{
    /// <summary>$XDG_DATA_HOME/vigil/keys.json, else ~/.local/share/vigil/keys.json.</summary>
    public static string DefaultFilePath()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(root, "vigil", "keys.json");
    }

    public static async Task<IApiKeyStore> OpenAsync(string? redisConnectionString, string? filePath)
    {
        if (!string.IsNullOrWhiteSpace(redisConnectionString))
            return new RedisApiKeyStore(await ConnectionMultiplexer.ConnectAsync(redisConnectionString));
        return new FileApiKeyStore(string.IsNullOrWhiteSpace(filePath) ? DefaultFilePath() : filePath);
    }
}
