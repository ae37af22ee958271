using Orleans.Concurrency;

namespace Vigil.Contracts;

/// <summary>
/// Receives alert events (the SSE endpoint of each silo implements it and subscribes through
/// <see cref="IAlertFeedGrain"/>, so every silo sees alerts raised anywhere in the cluster).
/// </summary>
[Alias("vigil.IAlertObserver")]
public interface IAlertObserver : IGrainObserver
{
    [OneWay, Alias("OnAlert")]
    Task OnAlertAsync(AlertEvent alert);
}
