using System.Text.Json;
using StackExchange.Redis;

namespace Vigil.Access;

/// <summary>Key records in one Redis hash, so every silo of a cluster sees a new key or a revocation at once.</summary>
public sealed class RedisApiKeyStore(IConnectionMultiplexer redis, string hashKey = "vigil:apikeys") : IApiKeyStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IDatabase Db => redis.GetDatabase();

    public async Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        var value = await Db.HashGetAsync(hashKey, id);
        return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<ApiKeyRecord>(value.ToString(), Json);
    }

    public Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default) =>
        Db.HashSetAsync(hashKey, record.Id, JsonSerializer.Serialize(record, Json));

    public async Task<bool> RevokeAsync(string id, DateTimeOffset when, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(id, cancellationToken);
        if (record is null) return false;
        if (record.Revoked is null) await AddAsync(record with { Revoked = when }, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entries = await Db.HashGetAllAsync(hashKey);
        return [.. entries.Select(e => JsonSerializer.Deserialize<ApiKeyRecord>(e.Value.ToString(), Json)!).OrderBy(r => r.Created)];
    }
}
