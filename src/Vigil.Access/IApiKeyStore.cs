namespace Vigil.Access;

/// <summary>Where key records live: a file for a single silo, Redis for a cluster (every silo sees a revocation).</summary>
public interface IApiKeyStore
{
    Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken = default);

    Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default);

    /// <summary>Marks the key revoked; false when no key has that id.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset when, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default);
}
