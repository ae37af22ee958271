namespace Vigil.Silo.Ingestion;

/// <summary>
/// A bulk request some devices applied and others did not, after every line had passed its check: a concurrent
/// request changed a device in between (409), a model queue was full (429), or the cluster was reconfiguring or a
/// device's storage write failed (503).
/// Grains cannot roll back across each other, so the answer says exactly which devices were not applied.
/// </summary>
public sealed class PartiallyAppliedException(
    int status, string message, IReadOnlyList<string> details, IReadOnlyList<string> notApplied, TimeSpan? retryAfter)
    : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>One line per device not applied: its lines and why.</summary>
    public IReadOnlyList<string> Details { get; } = details;

    /// <summary>Keys (<c>home/device</c>) of the devices whose readings were not stored.</summary>
    public IReadOnlyList<string> NotApplied { get; } = notApplied;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
