using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

public sealed class DeviceEnsembleTests
{
    [Fact]
    public async Task An_ensemble_device_asks_both_detectors_for_every_window()
    {
        var models = new TestModels();
        models.Publish("lstm-dcnn", "v1", () => new LastStepDetector(TestManifests.Series("lstm-dcnn", "v1", window: 10, thresholdScore: 0.4f)));
        models.Publish("autoencoder", "v1", () => new LastStepDetector(TestManifests.Series("autoencoder", "v1", window: 20, thresholdScore: 0.6f), gain: 3));
        await using var cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Scoring:Detector"] = "ensemble",
            ["Vigil:Scoring:Stride"] = "5",
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
        }, models);
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-e", "temp"));

        var result = await device.AppendAsync(Readings.Batch(0, 30, Readings.Calm));

        // The autoencoder needs 20 readings, so windows are scored from reading 20 on, every 5: at 20, 25 and 30.
        Assert.Equal([19, 24, 29], result.NewScores.Select(s => (int)(s.T - Readings.Start).TotalSeconds));
        var loaded = models.Loaded.ToList();
        Assert.Equal(2, loaded.Count);
        Assert.All(loaded, d => Assert.Equal(3, d.BatchSizes.Sum()));
        Assert.All(result.NewScores, s => Assert.Equal(0.5f, s.Threshold)); // mean of the two generic thresholds
        var snapshot = await device.GetSnapshotAsync();
        Assert.Equal("ensemble", snapshot.Detector);
        Assert.Equal(60, snapshot.Window);
    }
}
