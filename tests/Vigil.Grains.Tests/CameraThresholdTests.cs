using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// A camera's threshold aims at <c>Vigil:Scoring:CameraFalseAlertsPerDay</c> (here 1) from the devices' prior: its
/// frame score is on their log scale (a score s on 10^(−10 s) of calm frames), so the frames a camera sends per day
/// decide how high a new camera starts.
/// </summary>
public sealed class CameraThresholdTests : IAsyncLifetime
{
    private VigilTestCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await CameraCluster.StartAsync("1");

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Theory]
    [InlineData(1000, 0.5f)] // 86,400 frames a day: 10^(−10 s) ≤ 1 / 86,400 from 0.5
    [InlineData(100, 0.6f)]  // 864,000 a day: from 0.6
    public async Task A_new_camera_starts_where_its_frame_rate_keeps_calm_frames_within_the_budget(int msApart, float expected)
    {
        var camera = cluster.Client.GetGrain<ICameraGrain>(GrainKeys.ForCamera("home-t", $"every-{msApart}ms"));
        var t = Readings.Start;
        for (var i = 0; i < 30; i++, t = t.AddMilliseconds(msApart))
            Assert.Null((await camera.SubmitFrameAsync(CameraFrames.Grey(t))).OpenAlert);
        Assert.Equal(expected, (await camera.GetSnapshotAsync()).Threshold);

        // A corner lit in a scene that never moved is far beyond any threshold.
        var bright = await camera.SubmitFrameAsync(CameraFrames.Grey(t, brightCorner: 250));
        Assert.Equal(1f, bright.Score!.Score);
        Assert.NotNull(bright.OpenAlert);
    }
}
