using Vigil.Access;

namespace Vigil.Silo.Access;

/// <summary>
/// This silo's effective access settings: whether keys are checked, and the operator key (configured, or generated
/// at start when none is configured). The embedded simulator posts with it; nothing else may print or log it.
/// </summary>
public sealed class AccessCredentials
{
    internal AccessCredentials(AuthOptions options, string? operatorKey, bool generated)
    {
        Options = options;
        OperatorKey = operatorKey;
        Generated = generated;
        if (operatorKey is not null && ApiKeyFormat.TryParse(operatorKey, out var id, out var secret))
        {
            OperatorRecord = new ApiKeyRecord(id, Home: null, ApiKeyFormat.Hash(secret), DateTimeOffset.UtcNow);
        }
    }

    public AuthOptions Options { get; }

    public bool Enabled => Options.Enabled;

    /// <summary>Null when auth is off.</summary>
    public string? OperatorKey { get; }

    /// <summary>True when no key was configured and this one was made at start (the embedded default prints it).</summary>
    public bool Generated { get; }

    /// <summary>What the key check compares against: the id and the hash, never the secret.</summary>
    internal ApiKeyRecord? OperatorRecord { get; }

    /// <summary>Makes every request of this client carry the operator key (a no-op with auth off).</summary>
    public void Apply(HttpClient http)
    {
        if (Enabled && OperatorKey is not null)
        {
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticator.Header, OperatorKey);
        }
    }

    internal static AccessCredentials From(AuthOptions options)
    {
        if (!options.Enabled)
        {
            return new AccessCredentials(options, null, generated: false);
        }

        return options.OperatorKey is { } configured
            ? new AccessCredentials(options, configured, generated: false)
            : new AccessCredentials(options, ApiKeyFormat.Create(null, DateTimeOffset.UtcNow).Key, generated: true);
    }

    public override string ToString() => $"AccessCredentials {{ Enabled = {Enabled}, OperatorKey = {(OperatorKey is null ? "(none)" : "(set)")}, Generated = {Generated} }}";
}
