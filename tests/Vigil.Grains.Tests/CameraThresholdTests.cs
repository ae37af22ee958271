using Vigil.Contracts;
using Vigil.Grains.Devices;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// A camera's threshold aims at <c>Vigil:Scoring:CameraFalseAlertsPerDay</c> (here 1): the calibrated frame score
/// promises 1 % of calm frames at 0.5, so the frames a camera sends per day decide how high a new camera starts.
/// </summary>
public sealed class CameraThresholdTests : IAsyncLifetime
{
    private VigilTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var models = new TestModels();
        models.PublishFrames("v1", threshold: 0.3f);
        cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Alerts:CameraWarmupFrames"] = "3",
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
            ["Vigil:Scoring:CameraFalseAlertsPerDay"] = "1",
        }, models);
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Theory]
    [InlineData(1, false)]    // 86,400 frames a day: one false alert a day is 1 in 86,400 frames, the ceiling
    [InlineData(600, true)]   // 144 frames a day: 1 in 144 is near the calibrated 0.5
    public async Task A_new_camera_starts_where_its_frame_rate_keeps_calm_frames_within_the_budget(int secondsApart, bool brightCornerAlerts)
    {
        var camera = cluster.Client.GetGrain<ICameraGrain>(GrainKeys.ForCamera("home-t", $"every-{secondsApart}s"));
        var t = Readings.Start;
        for (var i = 0; i < 10; i++, t = t.AddSeconds(secondsApart))
            Assert.Null((await camera.SubmitFrameAsync(CameraFrames.Grey(t))).OpenAlert);
        var threshold = (await camera.GetSnapshotAsync()).Threshold;

        // The bright corner a camera with the generic threshold (0.3) alerts on (HomeAndCameraTests): relative 0.977,
        // under the ceiling (0.99).
        var bright = await camera.SubmitFrameAsync(CameraFrames.Grey(t, brightCorner: 250));

        Assert.InRange(bright.Score!.Score, 0.95f, 0.985f);
        if (brightCornerAlerts)
        {
            Assert.InRange(threshold, 0.45f, 0.6f);
            Assert.NotNull(bright.OpenAlert);
        }
        else
        {
            Assert.Equal(AdaptiveThreshold.Ceiling, threshold);
            Assert.Null(bright.OpenAlert);
        }
    }
}
