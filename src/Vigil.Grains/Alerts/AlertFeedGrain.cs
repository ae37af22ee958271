using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Vigil.Contracts;

namespace Vigil.Grains.Alerts;

/// <summary>
/// The cluster-wide alert stream: silos' SSE hubs subscribe observers with a lease; every alert event goes to each
/// live observer as a one-way call, so a slow or dead subscriber never holds up a home.
/// </summary>
internal sealed class AlertFeedGrain(ILogger<AlertFeedGrain> log) : Grain, IAlertFeedGrain
{
    private readonly ObserverManager<IAlertObserver> observers = new(IAlertFeedGrain.SubscriptionLease, log);

    public Task SubscribeAsync(IAlertObserver observer)
    {
        observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IAlertObserver observer)
    {
        observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task PublishAsync(AlertEvent alert)
    {
        observers.Notify(o => o.OnAlertAsync(alert));
        return Task.CompletedTask;
    }
}
