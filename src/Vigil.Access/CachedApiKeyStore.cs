using System.Collections.Concurrent;

namespace Vigil.Access;

/// <summary>
/// Remembers lookups (found or not) for a short time, so a silo does not ask Redis or stat the key file on every
/// request. The time bounds how long a revocation made elsewhere (another silo, <c>vigil keys revoke</c>) may go
/// unnoticed; a revocation through this instance is seen at once. Zero disables the cache.
/// </summary>
public sealed class CachedApiKeyStore : IApiKeyStore
{
    /// <summary>Above this many entries the cache starts over, so a flood of made-up ids cannot grow it without bound.</summary>
    public const int MaxEntries = 10_000;

    private readonly IApiKeyStore _inner;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Record, long Expires)> _entries = new(StringComparer.Ordinal);

    public CachedApiKeyStore(IApiKeyStore inner, TimeSpan ttl, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.Zero);
        (_inner, _ttl, _time) = (inner, ttl, time ?? TimeProvider.System);
    }

    public IApiKeyStore Inner => _inner;

    /// <summary>Entries held now (found and not found).</summary>
    public int Count => _entries.Count;

    public async Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (_ttl == TimeSpan.Zero) return await _inner.FindAsync(id, cancellationToken);
        var now = _time.GetTimestamp();
        if (_entries.TryGetValue(id, out var entry) && now < entry.Expires) return entry.Record;
        var record = await _inner.FindAsync(id, cancellationToken);
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[id] = (record, now + (long)(_ttl.TotalSeconds * _time.TimestampFrequency));
        return record;
    }

    public async Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default)
    {
        await _inner.AddAsync(record, cancellationToken);
        _entries.TryRemove(record.Id, out _);
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset when, CancellationToken cancellationToken = default)
    {
        var found = await _inner.RevokeAsync(id, when, cancellationToken);
        _entries.TryRemove(id, out _);
        return found;
    }

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) => _inner.ListAsync(cancellationToken);
}
