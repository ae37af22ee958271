using Vigil.Contracts;

namespace Vigil.Silo.Alerts;

/// <summary>
/// Keeps <see cref="AlertHub"/> subscribed to the <see cref="IAlertFeedGrain"/>: subscribes once the silo is up and
/// renews well inside the feed's lease, so the subscription survives the feed grain moving to another silo.
/// </summary>
internal sealed class AlertFeedSubscription(IGrainFactory grains, AlertHub hub, ILogger<AlertFeedSubscription> logger)
    : BackgroundService
{
    private static readonly TimeSpan Renewal = IAlertFeedGrain.SubscriptionLease / 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = grains.CreateObjectReference<IAlertObserver>(hub);
        var feed = grains.GetGrain<IAlertFeedGrain>(GrainKeys.AlertFeed);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await feed.SubscribeAsync(reference).WaitAsync(stoppingToken);
                failures = 0;
                await Task.Delay(Renewal, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The feed may be moving between silos or the cluster still forming: retry soon, log once in a while.
                if (failures++ % 10 == 0)
                {
                    logger.LogWarning(e, "Subscribing to the alert feed failed; retrying.");
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(failures, 5))), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await feed.UnsubscribeAsync(reference).WaitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or OrleansException)
        {
            // Shutting down; the lease expires the subscription anyway.
        }

        grains.DeleteObjectReference<IAlertObserver>(reference);
    }
}
