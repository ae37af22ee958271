using Vigil.Contracts;

namespace Vigil.Silo.Ingestion;

/// <summary>
/// The failures after which the same request will work later, and nothing of the failed call was stored: a full model
/// queue, a cluster in transition, grain storage out of reach or one version behind. The API answers them 429/503 with
/// Retry-After, and a bulk request that hits one on some devices names those devices instead of claiming all or nothing.
/// </summary>
public static class TransientFailures
{
    public static bool IsRetryable(Exception e) =>
        e is OverloadedException || IsClusterTransition(e) || IsStorageConflict(e) || IsStorageUnavailable(e);

    /// <summary>A silo died or grains are moving.</summary>
    public static bool IsClusterTransition(Exception e) =>
        e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException;

    /// <summary>
    /// Orleans wraps a storage provider's failure. A refused connection keeps the Redis client's exception inside; a
    /// write that timed out in the client's backlog while Redis was down arrives as the provider's own
    /// <c>RedisStorageException</c>, with the client's <c>RedisTimeoutException</c> only in its message (seen in the
    /// failure test that kills redis-server under load, as 500s before this check).
    /// </summary>
    public static bool IsStorageUnavailable(Exception e) =>
        InChain(e, inner => inner is StackExchange.Redis.RedisException or StackExchange.Redis.RedisTimeoutException
            or Orleans.Persistence.Redis.RedisStorageException);

    /// <summary>
    /// Orleans' storage ETag check failed: storage holds a newer state than the grain's copy (a write whose answer a
    /// storage outage lost did reach Redis). Orleans deactivates a grain whose call throws this, so the next call
    /// reloads what is stored (DeviceStorageConflictTests).
    /// </summary>
    public static bool IsStorageConflict(Exception e) => InChain(e, inner => inner is Orleans.Storage.InconsistentStateException);

    /// <summary>Does <paramref name="e"/> or any exception it wraps match?</summary>
    private static bool InChain(Exception e, Func<Exception, bool> match)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (match(inner)) return true;
        }
        return false;
    }
}
