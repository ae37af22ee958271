using Vigil.Access;

namespace Vigil.Silo.Access;

/// <summary>
/// The configured (or generated) operator key in front of the key store: its id answers from memory, every other id
/// goes to the store. Writes go to the store; the operator key cannot be revoked there (change the configuration).
/// </summary>
internal sealed class OperatorKeyStore(ApiKeyRecord? operatorRecord, IApiKeyStore store) : IApiKeyStore
{
    public Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        operatorRecord is not null && string.Equals(id, operatorRecord.Id, StringComparison.Ordinal)
            ? Task.FromResult<ApiKeyRecord?>(operatorRecord)
            : store.FindAsync(id, cancellationToken);

    public Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default) => store.AddAsync(record, cancellationToken);

    public Task<bool> RevokeAsync(string id, DateTimeOffset when, CancellationToken cancellationToken = default) =>
        store.RevokeAsync(id, when, cancellationToken);

    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) => store.ListAsync(cancellationToken);
}
