using System.Net;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using StackExchange.Redis;
using Vigil.Contracts;
using Vigil.Silo.Configuration;

namespace Vigil.Silo.Hosting;

/// <summary>Orleans for each clustering mode: membership, endpoints, grain storage and silo metadata.</summary>
public static class OrleansHosting
{
    /// <summary>Grain storage every Vigil grain persists to.</summary>
    public const string StorageName = "vigil";

    public static WebApplicationBuilder AddVigilOrleans(this WebApplicationBuilder builder, HostSettings settings)
    {
        var membership = MembershipOptions.Read(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.Clustering.ClusterId;
                o.ServiceId = settings.Clustering.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(o => ApplyMembership(o, membership));

            switch (settings.Clustering.Mode)
            {
                case ClusteringMode.Localhost:
                    // Loopback only: the embedded default must not open the silo port to the network.
                    silo.UseLocalhostClustering(settings.Orleans.SiloPort, settings.Orleans.GatewayPort,
                        serviceId: settings.Clustering.ServiceId, clusterId: settings.Clustering.ClusterId);
                    silo.AddMemoryGrainStorage(StorageName);
                    break;

                case ClusteringMode.Redis:
                    ConfigureEndpoints(silo, settings.Orleans);
                    AddRedis(silo, settings);
                    break;

                case ClusteringMode.Kubernetes:
                    // Orleans' Kubernetes hosting names the silo after the pod, advertises the pod IP and marks silos
                    // whose pods are gone as dead; it does no membership itself, so Redis still holds the table.
                    silo.Configure<EndpointOptions>(o =>
                    {
                        o.SiloPort = settings.Orleans.SiloPort;
                        o.GatewayPort = settings.Orleans.GatewayPort;
                        if (IPAddress.TryParse(settings.Orleans.AdvertisedIP, out var advertised))
                        {
                            o.AdvertisedIPAddress = advertised;
                        }
                    });
                    silo.UseKubernetesHosting();
                    AddRedis(silo, settings);
                    break;
            }

            silo.UseSiloMetadata(SiloMetadataFor(settings));
            silo.AddActivityPropagation();
            silo.AddVigilGrains(builder.Configuration);
        });
        return builder;
    }

    /// <summary>What this silo tells the cluster about itself; model grains are placed by it.</summary>
    internal static Dictionary<string, string> SiloMetadataFor(HostSettings settings) => new()
    {
        [SiloMetadataKeys.Accelerator] = settings.Silo.EffectiveAccelerator(settings.Clustering.Mode) ? SiloMetadataKeys.True : "false",
        [SiloMetadataKeys.Device] = settings.Silo.Device.ToLowerInvariant(),
    };

    /// <summary>Failure detection: how soon a crashed silo is declared dead and its grains reactivate elsewhere.</summary>
    internal static void ApplyMembership(ClusterMembershipOptions o, MembershipOptions membership)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(membership.ProbeTimeoutSeconds);
        o.NumMissedProbesLimit = membership.NumMissedProbesLimit;
        o.NumProbedSilos = membership.NumProbedSilos;
        o.NumVotesForDeathDeclaration = membership.NumVotesForDeathDeclaration;
        o.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(membership.DeathVoteExpirationSeconds);
        o.TableRefreshTimeout = TimeSpan.FromSeconds(membership.TableRefreshSeconds);
    }

    private static void ConfigureEndpoints(ISiloBuilder silo, OrleansEndpointOptions endpoints)
    {
        if (string.IsNullOrWhiteSpace(endpoints.AdvertisedIP))
        {
            // Orleans advertises the host's first non-loopback address.
            silo.ConfigureEndpoints(endpoints.SiloPort, endpoints.GatewayPort);
            return;
        }

        var advertised = IPAddress.Parse(endpoints.AdvertisedIP);
        silo.ConfigureEndpoints(advertised, endpoints.SiloPort, endpoints.GatewayPort,
            listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
    }

    private static void AddRedis(ISiloBuilder silo, HostSettings settings)
    {
        var connection = settings.Redis.ConnectionString!;
        silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(connection));
        silo.AddRedisGrainStorage(StorageName, o => o.ConfigurationOptions = ConfigurationOptions.Parse(connection));
    }
}
