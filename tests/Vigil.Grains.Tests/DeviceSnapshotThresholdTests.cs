using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// The threshold a device's snapshot shows before its first scoring: the one its scores will be held to, the same
/// after the grain is reactivated from storage, and null (never NaN, which the HTTP API cannot write as JSON) while
/// the device has never reached its model.
/// </summary>
public sealed class DeviceSnapshotThresholdTests
{
    [Fact]
    public async Task Before_its_first_scoring_a_device_shows_the_threshold_its_scores_will_be_held_to_also_after_reactivation()
    {
        var models = new TestModels();
        models.Publish("lstm-dcnn", "v1", () => new LastStepDetector(TestManifests.Series("lstm-dcnn", "v1", window: 10, thresholdScore: 0.4f)));
        models.Publish("autoencoder", "v1", () => new LastStepDetector(TestManifests.Series("autoencoder", "v1", window: 20, thresholdScore: 0.6f)));
        await using var cluster = await VigilTestCluster.StartAsync(new() { ["Vigil:Scoring:Detector"] = "ensemble" }, models);
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-t", "temp"));

        var result = await device.AppendAsync(Readings.Batch(0, 5, Readings.Calm)); // too few readings to score
        Assert.Empty(result.NewScores);
        Assert.Equal(0.5f, (await device.GetSnapshotAsync()).Threshold); // the mean of the two, as scorings use

        var management = cluster.Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        Assert.DoesNotContain(await management.GetDetailedGrainStatistics(), s => s.GrainType.Contains("DeviceGrain", StringComparison.Ordinal));
        var reloaded = await device.GetSnapshotAsync();
        Assert.Equal(5, reloaded.TotalAccepted);
        Assert.Equal(0.5f, reloaded.Threshold);
    }

    [Fact]
    public async Task A_device_that_never_reached_its_model_shows_no_threshold()
    {
        await using var cluster = await VigilTestCluster.StartAsync(new(), new TestModels()); // nothing published
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-t", "temp"));

        Assert.True((await device.AppendAsync(Readings.Batch(0, 5, Readings.Calm))).Applied);

        var snapshot = await device.GetSnapshotAsync();
        Assert.Equal(5, snapshot.TotalAccepted);
        Assert.Null(snapshot.Threshold);
    }
}
