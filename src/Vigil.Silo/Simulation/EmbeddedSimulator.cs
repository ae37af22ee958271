using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Vigil.Silo.Configuration;
using Vigil.Silo.Health;
using Vigil.Simulation;

namespace Vigil.Silo.Simulation;

/// <summary>
/// The embedded default's load: homes of sensors and a camera each, posting through this silo's own HTTP API (the
/// real ingestion path: Kestrel, parsing, validation, grains), with anomalies injected now and then so detections
/// show within a minute or two of start.
/// </summary>
internal sealed class EmbeddedSimulator(
    SimulatedHomes homes,
    IServer server,
    IHostApplicationLifetime lifetime,
    ModelReadiness readiness,
    IOptions<SimulatorOptions> options,
    Vigil.Silo.Access.AccessCredentials credentials,
    ILogger<EmbeddedSimulator> logger) : BackgroundService
{
    /// <summary>How long the simulator waits for the models before it sends anyway (the API then answers with errors the log shows).</summary>
    private static readonly TimeSpan ReadinessWait = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStartAsync(stoppingToken))
        {
            return;
        }

        using var http = new HttpClient { BaseAddress = OwnAddress(), Timeout = TimeSpan.FromSeconds(30) };
        credentials.Apply(http);
        var models = await WaitForModelsAsync(stoppingToken);
        var cameras = models?.Models.Where(m => m.Key.StartsWith(Vigil.Detectors.Bundles.DetectorKinds.FrameCnn + "/", StringComparison.Ordinal)).All(m => m.Loaded) ?? false
            ? homes.Cameras
            : [];
        if (cameras.Count == 0 && homes.Cameras.Count > 0)
        {
            logger.LogWarning("Simulator: no frame-cnn model is loaded, so the cameras send no frames (sensors only).");
        }
        logger.LogInformation("Simulator: {Homes} homes, {Devices} sensors and {Cameras} cameras posting to {Address}",
            homes.HomeCount, homes.Devices.Count, homes.Cameras.Count, http.BaseAddress);

        await DeclareKindsAsync(http, stoppingToken);
        var o = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(o.TickMs));
        var framesEvery = Math.Max(1, o.FrameIntervalMs / o.TickMs);
        var frameTasks = new List<Task>();
        var failures = 0;
        for (var tick = 0L; await NextTickAsync(timer, stoppingToken); tick++)
        {
            try
            {
                await PostReadingsAsync(http, homes.NextReadings(tick), stoppingToken);
                if (tick % framesEvery == 0)
                {
                    frameTasks.RemoveAll(t => t.IsCompleted);
                    // Frames of the previous round still in flight: skip this round rather than pile up.
                    if (frameTasks.Count == 0)
                    {
                        frameTasks.AddRange(cameras.Select(c => PostFrameAsync(http, c, tick, stoppingToken)));
                    }
                }

                failures = 0;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (failures++ % 20 == 0)
                {
                    logger.LogWarning("Simulator: a post failed ({Message}); continuing.", e.Message);
                }
            }
        }

        await Task.WhenAll(frameTasks);
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Each sensor says what it measures, as a real hub would when it adds one, so its threshold starts from its
    /// kind's fleet prior. A refusal is logged and the device goes on without a kind.</summary>
    private async Task DeclareKindsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        foreach (var device in homes.Devices)
        {
            try
            {
                using var request = KindDeclaration.For(device);
                using var response = await http.SendAsync(request, cancellationToken);
                await EnsureAcceptedAsync(response, "device kind", cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Simulator: could not declare the kind of {Home}/{Device} ({Message}).", device.HomeId, device.DeviceId, e.Message);
            }
        }
    }

    private async Task PostReadingsAsync(HttpClient http, string ndjson, CancellationToken cancellationToken)
    {
        using var content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
        using var response = await http.PostAsync("/v1/readings", content, cancellationToken);
        await EnsureAcceptedAsync(response, "readings", cancellationToken);
    }

    private async Task PostFrameAsync(HttpClient http, SimulatedHomes.Camera camera, long tick, CancellationToken cancellationToken)
    {
        try
        {
            var (pixels, width, height, at) = homes.NextFrame(camera, tick);
            using var content = new ByteArrayContent(pixels);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var url = string.Create(CultureInfo.InvariantCulture,
                $"/v1/homes/{camera.Home}/cameras/{camera.Id}/frames?width={width}&height={height}&t={Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture))}");
            using var response = await http.PostAsync(url, content, cancellationToken);
            await EnsureAcceptedAsync(response, $"{camera.Home}/{camera.Id} frame", cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Simulator: frame of {Home}/{Camera} failed: {Message}", camera.Home, camera.Id, e.Message);
        }
    }

    private async Task EnsureAcceptedAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{what}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }
    }

    private async Task<bool> WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return !stoppingToken.IsCancellationRequested;
    }

    /// <summary>The last readiness seen: all loaded, or what had loaded when the wait ran out.</summary>
    private async Task<Readiness?> WaitForModelsAsync(CancellationToken stoppingToken)
    {
        var deadline = DateTime.UtcNow + ReadinessWait;
        Readiness? state = null;
        var waited = false;
        while (!stoppingToken.IsCancellationRequested && DateTime.UtcNow < deadline)
        {
            state = await readiness.CheckAsync(stoppingToken);
            if (state.Ready)
            {
                return state;
            }

            if (!waited)
            {
                waited = true;
                logger.LogInformation("Simulator: waiting up to {Seconds} s for models ({Waiting})", ReadinessWait.TotalSeconds,
                    string.Join(", ", state.Models.Where(m => !m.Loaded).Select(m => $"{m.Key}: {m.Problem}")));
            }
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return state;
    }

    /// <summary>The first address Kestrel bound, with a wildcard host turned into loopback.</summary>
    private Uri OwnAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
                      ?? throw new InvalidOperationException("The simulator needs an http:// listen address (Vigil:Http:Urls).");
        var uri = new UriBuilder(address.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost")
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri;
    }
}
