namespace Vigil.Contracts;

/// <summary>
/// The cluster-wide alert stream; one grain, key <see cref="GrainKeys.AlertFeed"/>. Subscribers are grain observers
/// (<c>IGrainFactory.CreateObjectReference&lt;IAlertObserver&gt;</c>) and must renew their subscription within
/// <see cref="SubscriptionLease"/> (resubscribing is idempotent), so observers of a dead silo expire on their own.
/// Alerts are rare next to readings, so one grain is not a bottleneck; publishing is fire-and-forget per observer.
/// </summary>
[Alias("vigil.IAlertFeedGrain")]
public interface IAlertFeedGrain : IGrainWithStringKey
{
    public static readonly TimeSpan SubscriptionLease = TimeSpan.FromMinutes(2);

    [Alias("Subscribe")]
    Task SubscribeAsync(IAlertObserver observer);

    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IAlertObserver observer);

    [Alias("Publish")]
    Task PublishAsync(AlertEvent alert);
}
