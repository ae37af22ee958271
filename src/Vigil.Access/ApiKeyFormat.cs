using System.Security.Cryptography;
using System.Text;

namespace Vigil.Access;

/// <summary>
/// Keys look like <c>vk_&lt;id&gt;_&lt;secret&gt;</c>: a public id (12 hex characters) to find the record, and 32 random bytes
/// (base64url) that only the holder knows. The secret has 256 bits of entropy, so one SHA-256 is enough to store it:
/// slow password hashes exist for guessable secrets, which these are not.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "vk_";

    /// <summary>A new key and the record to store for it.</summary>
    public static (string Key, ApiKeyRecord Record) Create(string? home, DateTimeOffset now)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{Prefix}{id}_{secret}", new ApiKeyRecord(id, home, Hash(secret), now));
    }

    /// <summary>Splits a presented key; false for anything not shaped like one (no exception on hostile input).</summary>
    public static bool TryParse(string? presented, out string id, out string secret)
    {
        id = secret = "";
        if (presented is null || presented.Length is < 20 or > 128 || !presented.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        int split = presented.IndexOf('_', Prefix.Length);
        if (split != Prefix.Length + 12) return false;
        id = presented[Prefix.Length..split];
        secret = presented[(split + 1)..];
        return id.All(Uri.IsHexDigit) && secret.Length > 0;
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant-time comparison of the presented secret against the stored hash.</summary>
    public static bool Matches(ApiKeyRecord record, string secret) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(record.SecretSha256));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
