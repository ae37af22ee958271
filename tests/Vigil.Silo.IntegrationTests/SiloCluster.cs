using System.Globalization;
using System.Runtime.CompilerServices;

namespace Vigil.Silo.IntegrationTests;

/// <summary>
/// A durable redis-server and silo processes clustered through it, all on loopback; every process is killed on
/// dispose, whatever state the test left them in.
/// </summary>
internal sealed class SiloCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];

    private SiloCluster(DurableRedis redis, string clusterId) => (Redis, ClusterId) = (redis, clusterId);

    public DurableRedis Redis { get; }

    /// <summary>The cluster's id; the service id (which grain state is keyed by) is the default, "vigil".</summary>
    public string ClusterId { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    public static async Task<SiloCluster> StartAsync(int silos, TimeSpan within)
    {
        var cluster = new SiloCluster(await DurableRedis.StartAsync(), $"failure-{Guid.NewGuid():N}");
        try
        {
            for (var i = 0; i < silos; i++)
            {
                cluster.Add($"S{i + 1}");
            }

            await Task.WhenAll(cluster._silos.Select(s => s.WaitHealthyAsync(within)));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo; with <paramref name="clusterId"/> it forms a cluster of its own over the same grain state.</summary>
    public SiloProcess Add(string name, string? clusterId = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = Settings(Redis, clusterId ?? ClusterId);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var silo = SiloProcess.Start(name, settings);
        _silos.Add(silo);
        return silo;
    }

    public IEnumerable<SiloProcess> Running => _silos.Where(s => !s.HasExited);

    public static Dictionary<string, string> Settings(DurableRedis redis, string clusterId)
    {
        var settings = SiloProcess.RedisClusterSettings(redis.ConnectionString, clusterId);
        // The shutdown lines of the silo are Information; the test reads them.
        settings["Logging__LogLevel__Vigil"] = "Information";
        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            try
            {
                await silo.DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        await Redis.DisposeAsync();
    }
}
