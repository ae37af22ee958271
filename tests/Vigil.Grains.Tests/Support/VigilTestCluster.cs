using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;
using Vigil.Contracts;
using Vigil.Grains.Models;

namespace Vigil.Grains.Tests.Support;

/// <summary>
/// An in-process Orleans cluster configured exactly as the silo host does it (<c>AddVigilGrains</c> from
/// configuration, memory storage named <c>vigil</c>, silo metadata), with <see cref="TestModels"/> as catalog and loader.
/// </summary>
internal sealed class VigilTestCluster : IAsyncDisposable
{
    private VigilTestCluster(InProcessTestCluster cluster, TestModels? models)
    {
        Cluster = cluster;
        Models = models;
    }

    public InProcessTestCluster Cluster { get; }
    public TestModels? Models { get; }
    public IClusterClient Client => Cluster.Client;

    /// <summary>Names of the silos that published the accelerator mark (silos are numbered in start order).</summary>
    public IReadOnlySet<string> AcceleratorSiloNames { get; private init; } = new HashSet<string>();

    /// <param name="settings">Configuration keys (e.g. <c>Vigil:Scoring:Stride</c>).</param>
    /// <param name="models">Test catalog and loader; null: the real folder catalog and bundle loader (<c>Vigil:Models:Path</c>).</param>
    /// <param name="silos">Silo count.</param>
    /// <param name="isAccelerator">Which silos (by index) publish the accelerator mark; all when null.</param>
    /// <param name="storage">Registers the <c>vigil</c> grain storage; memory storage when null.</param>
    public static async Task<VigilTestCluster> StartAsync(Dictionary<string, string?> settings, TestModels? models, short silos = 1,
        Func<int, bool>? isAccelerator = null, Action<ISiloBuilder>? storage = null)
    {
        var siloOrder = new List<string>();
        var acceleratorNames = new HashSet<string>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((options, silo) =>
        {
            int index;
            lock (siloOrder)
            {
                index = siloOrder.IndexOf(options.SiloName);
                if (index < 0)
                {
                    siloOrder.Add(options.SiloName);
                    index = siloOrder.Count - 1;
                }
            }
            var accelerator = isAccelerator?.Invoke(index) ?? true;
            if (accelerator)
                lock (acceleratorNames) acceleratorNames.Add(options.SiloName);
            silo.UseSiloMetadata(new Dictionary<string, string>
            {
                [SiloMetadataKeys.Accelerator] = accelerator ? SiloMetadataKeys.True : "false",
                [SiloMetadataKeys.Device] = "cpu",
            });
            if (storage is null)
                silo.AddMemoryGrainStorage(GrainStorage.Name);
            else
                storage(silo);
            if (models is not null)
            {
                silo.Services.AddSingleton<IModelCatalog>(models);
                silo.Services.AddSingleton<IDetectorFactory>(models);
            }
            silo.AddVigilGrains(configuration);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new VigilTestCluster(cluster, models) { AcceleratorSiloNames = acceleratorNames };
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
