namespace Vigil.Access;

/// <summary>Who a request is, once its key has been checked.</summary>
public sealed record Caller(string KeyId, string? Home)
{
    public bool IsOperator => Home is null;

    /// <summary>An operator reaches every home; a home key only its own.</summary>
    public bool MayAccess(string home) => IsOperator || string.Equals(Home, home, StringComparison.Ordinal);
}

/// <summary>Turns a presented key (the <c>X-Vigil-Key</c> header) into a <see cref="Caller"/>, or null.</summary>
public sealed class ApiKeyAuthenticator(IApiKeyStore store)
{
    public const string Header = "X-Vigil-Key";

    public async Task<Caller?> AuthenticateAsync(string? presented, CancellationToken cancellationToken = default)
    {
        if (!ApiKeyFormat.TryParse(presented, out var id, out var secret)) return null;
        var record = await store.FindAsync(id, cancellationToken);
        if (record is null || !record.IsActive || !ApiKeyFormat.Matches(record, secret)) return null;
        return new Caller(record.Id, record.Home);
    }
}
