using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Vigil.Detectors.Bundles;
using Vigil.Grains.Options;

namespace Vigil.Grains.Models;

/// <summary>
/// <c>Vigil:Models:Source=Redis</c>: bundles published with <c>vigil models publish</c> into the Redis registry
/// (<see cref="RedisBundleRegistry"/>). A background loop mirrors each kind's newest version that verifies into
/// <c>&lt;Vigil:Models:Path&gt;/&lt;kind&gt;/&lt;version&gt;/</c> (a temp folder when that is read-only), and lookups are answered
/// by a <see cref="FolderModelCatalog"/> over that folder, so loading and SHA-256 verification happen exactly as for a
/// mounted bundle. A version that fails verification is never put there: it is logged, remembered in
/// <see cref="Refused"/>, and the previous version keeps serving. Grain lookups never wait on Redis, except the very
/// first ones, which wait (bounded) for the first mirror pass so a fresh silo does not report "nothing published".
/// </summary>
public sealed class RedisModelCatalog : BackgroundService, IModelCatalog
{
    /// <summary>How long a lookup may wait for the first mirror pass, or for fetching an explicitly requested version.</summary>
    private static readonly TimeSpan LookupWait = TimeSpan.FromSeconds(15);

    private readonly string connectionString;
    private readonly RedisBundleRegistryLayout layout;
    private readonly ILogger<RedisModelCatalog> log;
    private readonly TimeSpan period;
    private readonly FolderModelCatalog folder;
    private readonly ConcurrentDictionary<string, string> refused = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim syncing = new(1, 1);
    private readonly Lock firstPassLock = new();
    private Task? firstPass;
    private Task<ConnectionMultiplexer>? connecting;

    public RedisModelCatalog(IOptions<ModelsOptions> options, string connectionString, ILogger<RedisModelCatalog> log,
        IHostEnvironment? environment = null, RedisBundleRegistryLayout? layout = null)
    {
        this.connectionString = connectionString;
        this.layout = layout ?? new RedisBundleRegistryLayout();
        this.log = log;
        period = TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        var configured = Path.GetFullPath(options.Value.Path, environment?.ContentRootPath ?? Directory.GetCurrentDirectory());
        Root = WritableRoot(configured);
        folder = new FolderModelCatalog(Microsoft.Extensions.Options.Options.Create(new ModelsOptions { Path = Root }));
    }

    /// <summary>The folder bundles are mirrored into and loaded from.</summary>
    public string Root { get; }

    /// <summary>Versions refused since start, <c>kind/version</c> → why (the verification error).</summary>
    public IReadOnlyDictionary<string, string> Refused => refused;

    public BundleLocation? FindLatest(string kind)
    {
        WaitForFirstPass();
        return folder.FindLatest(kind);
    }

    public BundleLocation? Find(string kind, string version)
    {
        WaitForFirstPass();
        if (folder.Find(kind, version) is { } found)
            return found;
        if (refused.TryGetValue($"{kind}/{version}", out var why))
            throw new BundleException(why);
        // A grain pinned to one version (not "latest") may ask for an older one the mirror loop skipped: fetch it now.
        // Task.Run: never block on a continuation that wants the (blocked) grain scheduler.
        try
        {
            if (!Task.Run(() => MirrorOneAsync(kind, version)).Wait(LookupWait))
                return null;
        }
        catch (AggregateException e) when (e.InnerException is RedisException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            log.LogWarning("Model registry: could not fetch {Kind} {Version} ({Error})", kind, version, e.InnerException.Message);
            return null;
        }
        if (refused.TryGetValue($"{kind}/{version}", out why))
            throw new BundleException(why);
        return folder.Find(kind, version);
    }

    /// <summary>One mirror pass: for each kind, the newest version that verifies is made available locally.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        await syncing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var registry = new RedisBundleRegistry((await ConnectAsync().ConfigureAwait(false)).GetDatabase(), layout);
            foreach (var kind in await registry.KindsAsync().ConfigureAwait(false))
            foreach (var version in await registry.VersionsAsync(kind).ConfigureAwait(false))
            {
                if (refused.ContainsKey($"{kind}/{version}"))
                    continue;
                if (folder.Find(kind, version) is not null || await TryMirrorAsync(registry, kind, version).ConfigureAwait(false))
                    break;
            }
        }
        finally
        {
            syncing.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartFirstPass().ConfigureAwait(false);
                await SyncAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever went wrong (Redis away, disk full), keep serving what is mirrored; the next pass tries again.
                log.LogWarning(e, "Model registry: mirror pass failed ({Error}); serving the bundles already in {Root}", e.Message, Root);
            }

            try
            {
                await Task.Delay(period, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        if (connecting is { IsCompletedSuccessfully: true } c)
            c.Result.Dispose();
        syncing.Dispose();
    }

    private async Task<bool> TryMirrorAsync(RedisBundleRegistry registry, string kind, string version)
    {
        try
        {
            var dir = await registry.MirrorAsync(kind, version, Root).ConfigureAwait(false);
            log.LogInformation("Model registry: {Kind} {Version} mirrored into {Dir}", kind, version, dir);
            return true;
        }
        catch (BundleException e)
        {
            refused[$"{kind}/{version}"] = e.Message;
            var serving = folder.FindLatest(kind)?.Version ?? "nothing";
            log.LogError("Model registry: {Error} Model grains keep serving {Kind} {Serving}.", e.Message, kind, serving);
            return false;
        }
    }

    private async Task MirrorOneAsync(string kind, string version)
    {
        var registry = new RedisBundleRegistry((await ConnectAsync().ConfigureAwait(false)).GetDatabase(), layout);
        if (await registry.FindAsync(kind, version).ConfigureAwait(false) is null)
            return;
        await TryMirrorAsync(registry, kind, version).ConfigureAwait(false);
    }

    private void WaitForFirstPass()
    {
        var pass = StartFirstPass();
        if (pass.IsCompleted)
            return;
        try
        {
            pass.Wait(LookupWait);
        }
        catch (AggregateException)
        {
            // Logged by whoever awaits it in the background loop; the folder answers with what it has.
        }
    }

    private Task StartFirstPass()
    {
        lock (firstPassLock)
            return firstPass ??= Task.Run(async () =>
            {
                try
                {
                    await SyncAsync().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // Never faulted: lookups and the mirror loop await this task; the loop retries every period.
                    log.LogWarning(e, "Model registry: first mirror pass failed ({Error}); retrying every {Period}", e.Message, period);
                }
            });
    }

    private Task<ConnectionMultiplexer> ConnectAsync()
    {
        lock (firstPassLock)
        {
            if (connecting is null || connecting.IsFaulted || connecting.IsCanceled)
            {
                var options = ConfigurationOptions.Parse(connectionString);
                // Keep retrying in the background instead of failing the silo when Redis is briefly unreachable.
                options.AbortOnConnectFail = false;
                connecting = ConnectionMultiplexer.ConnectAsync(options);
            }
            return connecting;
        }
    }

    private string WritableRoot(string configured)
    {
        try
        {
            Directory.CreateDirectory(configured);
            var probe = Path.Combine(configured, $".write-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return configured;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var fallback = Path.Combine(Path.GetTempPath(), "vigil-models");
            Directory.CreateDirectory(fallback);
            log.LogWarning("Model registry: {Path} is not writable ({Error}); mirroring bundles into {Fallback}", configured, e.Message, fallback);
            return fallback;
        }
    }
}
