namespace Vigil.Access;

/// <summary>
/// A stored API key: never the key itself, only its id and the SHA-256 of its secret. <see cref="Home"/> is the one
/// home the key may read and write, or null for an operator key (every home and the cluster-wide routes).
/// </summary>
public sealed record ApiKeyRecord(string Id, string? Home, string SecretSha256, DateTimeOffset Created, DateTimeOffset? Revoked = null)
{
    public bool IsOperator => Home is null;
    public bool IsActive => Revoked is null;
}
