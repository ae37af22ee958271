using Orleans.Runtime;
using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

public sealed class PlacementTests
{
    [Fact]
    public async Task Model_grains_activate_only_on_the_silo_marked_as_accelerator()
    {
        var models = new TestModels();
        models.Publish("lstm-dcnn", "v1", () => new LastStepDetector(TestManifests.Series("lstm-dcnn", "v1", window: 4, thresholdScore: 0.5f)));
        await using var cluster = await VigilTestCluster.StartAsync(new() { ["Vigil:Batching:SlotsPerModel"] = "8" }, models,
            silos: 2, isAccelerator: index => index == 1);
        await cluster.Cluster.WaitForLivenessToStabilizeAsync();
        var accelerator = cluster.Cluster.Silos.Single(s => cluster.AcceleratorSiloNames.Contains(s.Name)).SiloAddress;

        // Devices spread over both silos and each calls its model slot, so placement is asked from both sides.
        var start = DateTimeOffset.Parse("2026-11-22T10:00:00Z");
        await Task.WhenAll(Enumerable.Range(0, 32).Select(d =>
            cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-p", $"dev-{d}")).AppendAsync(new ReadingBatch(
                [.. Enumerable.Range(0, 4).Select(i => new Reading(start.AddSeconds(i), [i]))]))));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(slot =>
            cluster.Client.GetGrain<IModelGrain>(GrainKeys.ForModel("lstm-dcnn", GrainKeys.LatestVersion, slot)).GetInfoAsync()));

        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        var stats = await management.GetDetailedGrainStatistics();
        var modelActivations = stats.Where(s => s.GrainType.Contains("ModelGrain", StringComparison.Ordinal)).ToList();
        var deviceSilos = stats.Where(s => s.GrainType.Contains("DeviceGrain", StringComparison.Ordinal)).Select(s => s.SiloAddress).Distinct().ToList();

        Assert.Equal(8, modelActivations.Count);
        Assert.All(modelActivations, s => Assert.Equal(accelerator, s.SiloAddress));
        Assert.Equal(2, deviceSilos.Count); // the filter, not chance, kept models off the other silo
    }
}
