using Microsoft.AspNetCore.Hosting.Server;
using Vigil.Silo.Configuration;

namespace Vigil.Silo.Hosting;

/// <summary>
/// Graceful stop (SIGTERM): HTTP first, then Orleans. The generic host stops hosted services in reverse order of
/// registration and Kestrel's service is registered before Orleans', so without this Orleans would leave the cluster
/// while Kestrel still accepted requests it could no longer serve.
/// </summary>
public static class ShutdownHosting
{
    public static WebApplicationBuilder AddVigilShutdown(this WebApplicationBuilder builder)
    {
        var options = ShutdownOptions.Read(builder.Configuration);
        // Bounds the whole stop: HTTP drain, grain deactivation (state is written on every acknowledged request, so
        // nothing is left to flush but in-flight calls) and leaving the membership.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds!.Value));
        builder.Services.AddHostedService<HttpDrain>();
        return builder;
    }

    /// <summary>
    /// Stops Kestrel in the host's "stopping" phase, before any hosted service (Orleans included) stops: no new
    /// connections, idle keep-alive connections closed, in-flight requests run to completion against a silo that is
    /// still in the cluster.
    /// </summary>
    private sealed class HttpDrain(IServer server, ILogger<HttpDrain> log) : IHostedLifecycleService
    {
        public async Task StoppingAsync(CancellationToken cancellationToken)
        {
            var started = TimeProvider.System.GetTimestamp();
            log.LogInformation("Shutdown: HTTP stops accepting; waiting for requests in flight");
            await server.StopAsync(cancellationToken);
            log.LogInformation("Shutdown: HTTP drained in {Ms:0} ms; Orleans now hands off its grains and leaves the cluster",
                TimeProvider.System.GetElapsedTime(started).TotalMilliseconds);
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
