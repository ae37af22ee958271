namespace Vigil.Silo.Health;

/// <summary>Asks the model slots once the silo is up, so bundles load before the first reading needs them.</summary>
internal sealed class ModelWarmup(ModelReadiness readiness, IHostApplicationLifetime lifetime, ILogger<ModelWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        try
        {
            var state = await readiness.CheckAsync(stoppingToken);
            foreach (var model in state.Models)
            {
                if (model.Loaded)
                {
                    logger.LogInformation("Model {Key}: {Version} loaded", model.Key, model.Version);
                }
                else
                {
                    logger.LogWarning("Model {Key}: not loaded yet ({Problem})", model.Key, model.Problem);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
