using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

public sealed class HomeAndCameraTests : IAsyncLifetime
{
    private VigilTestCluster cluster = null!;

    // Frames a second apart: the default budget (10 false alerts a day) would raise the threshold (CameraThresholdTests);
    // these tests are about the baseline, the heat map and clearing.
    public async Task InitializeAsync() => cluster = await CameraCluster.StartAsync("86400", ("Vigil:Alerts:FusionWindowSeconds", "60"));

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private static FrameData Frame(int second, byte background, byte brightCorner = 0) =>
        CameraFrames.Grey(Readings.Start.AddSeconds(second), background, brightCorner);

    [Fact]
    public async Task A_camera_alerts_above_its_own_baseline_with_the_heat_map_and_clears_when_calm()
    {
        var camera = cluster.Client.GetGrain<ICameraGrain>(GrainKeys.ForCamera("home-c", "door"));
        // A scene that is always grey 40/255: the model scores it 0.157; the baseline learns that.
        for (var s = 0; s < 5; s++)
            Assert.Null((await camera.SubmitFrameAsync(Frame(s, 40))).OpenAlert);

        var bright = await camera.SubmitFrameAsync(Frame(5, 40, brightCorner: 250));
        var alert = Assert.IsType<AlertRecord>(bright.OpenAlert);
        Assert.Equal(AlertKind.Camera, alert.Kind);
        var heat = Assert.IsType<HeatMap>(alert.HeatMap);
        Assert.Equal((2, 2), (heat.TilesX, heat.TilesY));
        Assert.Equal(1, Array.IndexOf(heat.Tiles, heat.Tiles.Max())); // top-right tile lit
        Assert.Equal(1f, bright.Score!.Score); // 0.98 against a tile that never moved from 0.157: far beyond the scale

        await camera.SubmitFrameAsync(Frame(6, 40));
        var cleared = await camera.SubmitFrameAsync(Frame(7, 40));
        Assert.Null(cleared.OpenAlert);
        var snapshot = await camera.GetSnapshotAsync();
        Assert.Equal(8, snapshot.TotalFrames);
        Assert.InRange(snapshot.Baseline, 0.15f, 0.17f);

        var stale = await camera.SubmitFrameAsync(Frame(7, 40));
        Assert.False(stale.Accepted);
        Assert.Contains("not newer", stale.Reason);
        var broken = await camera.SubmitFrameAsync(new FrameData(Readings.Start.AddSeconds(9), 16, 16, new byte[10]));
        Assert.False(broken.Accepted);
    }

    [Fact]
    public async Task A_sensor_and_a_camera_alert_close_in_time_fuse_into_one_stronger_home_alert()
    {
        var home = cluster.Client.GetGrain<IHomeGrain>(GrainKeys.ForHome("home-f"));
        var t = Readings.Start;
        AlertRecord Alert(string source, AlertKind kind, DateTimeOffset at, float score) =>
            new(AlertRecord.MakeId("home-f", source, at), "home-f", source, kind, "test", "v1", at, null, score, 0.5f, "test", null, []);

        Assert.Null(await home.RaiseAsync(Alert("temp", AlertKind.Sensor, t, 0.6f)));
        Assert.Null(await home.RaiseAsync(Alert("door", AlertKind.Camera, t.AddMinutes(5), 0.7f))); // too far apart
        var fused = await home.RaiseAsync(Alert("window", AlertKind.Sensor, t.AddMinutes(5.5), 0.6f));

        var homeAlert = Assert.IsType<AlertRecord>(fused);
        Assert.Equal(AlertKind.Home, homeAlert.Kind);
        Assert.Equal(1 - 0.4f * 0.3f, homeAlert.Score, 5);
        Assert.True(homeAlert.Score > 0.7f);
        Assert.Equal(["home-f/window/" + t.AddMinutes(5.5).ToUnixTimeMilliseconds(), "home-f/door/" + t.AddMinutes(5).ToUnixTimeMilliseconds()], homeAlert.Related);
        Assert.Null(await home.RaiseAsync(Alert("window", AlertKind.Sensor, t.AddMinutes(5.5), 0.6f))); // a retry changes nothing

        await home.ClearAsync("door", t.AddMinutes(7));
        Assert.True((await home.GetRecentAlertsAsync()).Single(a => a.Kind == AlertKind.Home).IsOpen); // window still open
        await home.ClearAsync("window", t.AddMinutes(8));
        var recent = await home.GetRecentAlertsAsync();
        Assert.Equal(4, recent.Length);
        Assert.Equal(t.AddMinutes(8), recent.Single(a => a.Kind == AlertKind.Home).ClearedAt);
        Assert.True(recent.Single(a => a.Source == "temp").IsOpen);
    }
}
