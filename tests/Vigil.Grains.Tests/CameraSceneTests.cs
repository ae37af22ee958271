using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// A mounted camera watches one scene: each tile is judged against its own usual score and wobble, so an odd object
/// that is always in view hides nothing elsewhere, a small change in a still tile counts for more than the same change
/// in a restless one, a spot where high scores keep coming stops alerting on them, and an object moved in for good raises one alert,
/// after which the camera watches the new scene.
/// </summary>
public sealed class CameraSceneTests : IAsyncLifetime
{
    private VigilTestCluster cluster = null!;

    // Frames a second apart with a budget to match keep the threshold at its floor.
    public async Task InitializeAsync() => cluster = await CameraCluster.StartAsync("86400");

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_tile_that_always_scores_high_does_not_hide_a_change_in_another_tile()
    {
        var camera = cluster.Client.GetGrain<ICameraGrain>(GrainKeys.ForCamera("home-s", "hall"));
        var t = Readings.Start;
        // The top-left tile is always bright: the model scores it 0.98 in every frame, the rest 0.157.
        for (var i = 0; i < 5; i++, t = t.AddSeconds(1))
            Assert.Null((await camera.SubmitFrameAsync(CameraFrames.Tiles(t, 250, 40, 40, 40))).OpenAlert);

        // The bottom-right tile lights to 0.78, under the frame's usual maximum (0.98) but far above its own 0.157.
        var changed = await camera.SubmitFrameAsync(CameraFrames.Tiles(t, 250, 40, 40, 200));

        var alert = Assert.IsType<AlertRecord>(changed.OpenAlert);
        Assert.Equal(1f, changed.Score!.Score);
        Assert.Contains("tile (1, 1) at 0.784 against its usual 0.157", alert.Message);
        Assert.Equal(3, Array.IndexOf(alert.HeatMap!.Tiles, alert.HeatMap.Tiles.Skip(1).Max()));
    }

    [Fact]
    public async Task A_tile_is_judged_by_its_own_wobble()
    {
        var camera = cluster.Client.GetGrain<ICameraGrain>(GrainKeys.ForCamera("home-s", "window"));
        var t = Readings.Start;
        // The top-left tile flickers between 0.157 and 0.235 (a window's light); the others never move from 0.157.
        for (var i = 0; i < 20; i++, t = t.AddSeconds(1))
            Assert.Null((await camera.SubmitFrameAsync(CameraFrames.Tiles(t, (byte)(i % 2 == 0 ? 40 : 60), 40, 40, 40))).OpenAlert);

        // 0.314 in the flickering tile is 3 of its spreads (0.039) above its mean (0.196): calm, score 0.07.
        var flicker = await camera.SubmitFrameAsync(CameraFrames.Tiles(t, 80, 40, 40, 40));
        Assert.Null(flicker.OpenAlert);
        Assert.InRange(flicker.Score!.Score, 0.05f, 0.09f);

        // 0.235 in a still tile, a smaller step, is 16 spreads (the 0.005 floor) above its mean: score 0.62, an alert.
        var still = await camera.SubmitFrameAsync(CameraFrames.Tiles(t.AddSeconds(1), 50, 40, 60, 40));
        var alert = Assert.IsType<AlertRecord>(still.OpenAlert);
        Assert.InRange(still.Score!.Score, 0.58f, 0.66f);
        Assert.Contains("tile (1, 0)", alert.Message);
    }

    [Fact]
    public async Task A_spot_where_high_scores_keep_coming_stops_alerting_on_them()
    {
        var camera = cluster.Client.GetGrain<ICameraGrain>(GrainKeys.ForCamera("home-s", "street"));
        var t = Readings.Start;
        async Task<FrameResult> Send(byte level)
        {
            var result = await camera.SubmitFrameAsync(CameraFrames.Tiles(t, level, 40, 40, 40));
            t = t.AddSeconds(1);
            return result;
        }
        for (var i = 0; i < 100; i++)
            Assert.Null((await Send(40)).OpenAlert);

        // Something scoring 0.784 passes the top-left tile: an alert, cleared once it has gone.
        Assert.NotNull((await Send(200)).OpenAlert);
        Assert.NotNull((await Send(40)).OpenAlert);
        Assert.Null((await Send(40)).OpenAlert);
        for (var i = 0; i < 100; i++)
            Assert.Null((await Send(40)).OpenAlert);

        // It passes again: the tile's peak (0.784, relaxing over 360 frames) widens its spread to the peak's excess,
        // so this is about 1.3 spreads, not the 125 of the floor. Without the peak it would alert again.
        var again = await Send(200);

        Assert.Null(again.OpenAlert);
        Assert.InRange(again.Score!.Score, 0f, 0.02f);
    }

    [Fact]
    public async Task An_object_moved_in_for_good_raises_one_alert_and_the_camera_watches_the_new_scene()
    {
        var camera = cluster.Client.GetGrain<ICameraGrain>(GrainKeys.ForCamera("home-s", "kitchen"));
        var home = cluster.Client.GetGrain<IHomeGrain>(GrainKeys.ForHome("home-s"));
        var t = Readings.Start;
        async Task<FrameResult> Send(params byte[] levels)
        {
            var result = await camera.SubmitFrameAsync(CameraFrames.Tiles(t, levels));
            t = t.AddSeconds(1);
            return result;
        }
        for (var i = 0; i < 5; i++)
            Assert.Null((await Send(40, 40, 40, 40)).OpenAlert);

        // Something bright is put down in the top-right tile and stays: one alert, cleared after ClearAfter (2)
        // frames at the tile's new peak, and nothing more while the tile's mean takes it in.
        var raised = Assert.IsType<AlertRecord>((await Send(40, 230, 40, 40)).OpenAlert);
        Assert.NotNull((await Send(40, 230, 40, 40)).OpenAlert);
        Assert.Null((await Send(40, 230, 40, 40)).OpenAlert);
        for (var i = 0; i < 100; i++)
            Assert.Null((await Send(40, 230, 40, 40)).OpenAlert);
        var kept = Assert.Single(await home.GetRecentAlertsAsync(10), a => a.Source == "kitchen");
        Assert.Equal(raised.Id, kept.Id);
        Assert.NotNull(kept.ClearedAt);
        var snapshot = await camera.GetSnapshotAsync();
        Assert.InRange(snapshot.TileMeans![1], 0.85f, 0.91f); // 0.902 learnt

        // And the camera still sees a change elsewhere.
        var next = Assert.IsType<AlertRecord>((await Send(40, 230, 230, 40)).OpenAlert);
        Assert.NotEqual(raised.Id, next.Id);
        Assert.Contains("tile (1, 0)", next.Message);
    }
}
