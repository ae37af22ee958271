using Vigil.Contracts;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// A mounted camera watches one scene: each tile is judged against its own usual score, so an odd object that is
/// always in view hides nothing elsewhere, and an object moved in for good ends its alert once the alert has been open
/// <c>Vigil:Alerts:CameraSceneChangeFrames</c> frames, after which the camera watches the new scene.
/// </summary>
public sealed class CameraSceneTests : IAsyncLifetime
{
    private const int SceneChangeFrames = 4;
    private VigilTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var models = new TestModels();
        models.PublishFrames("v1", threshold: 0.3f);
        cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Alerts:CameraWarmupFrames"] = "3",
            ["Vigil:Alerts:CameraSceneChangeFrames"] = SceneChangeFrames.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vigil:Scoring:ClearAfter"] = "2",
            // Frames a second apart with a budget to match keep the threshold low (HomeAndCameraTests).
            ["Vigil:Scoring:CameraFalseAlertsPerDay"] = "86400",
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
        }, models);
    }

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
        Assert.InRange(changed.Score!.Score, 0.72f, 0.77f); // (0.784 − 0.157) / (1 − 0.157)
        Assert.Contains("tile (1, 1)", alert.Message);
        Assert.Equal(3, Array.IndexOf(alert.HeatMap!.Tiles, alert.HeatMap.Tiles.Skip(1).Max()));
    }

    [Fact]
    public async Task An_object_moved_in_for_good_ends_its_alert_and_the_camera_watches_the_new_scene()
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

        // Something bright is put down in the top-right tile and stays.
        var raised = Assert.IsType<AlertRecord>((await Send(40, 230, 40, 40)).OpenAlert);
        for (var i = 1; i < SceneChangeFrames; i++)
            Assert.NotNull((await Send(40, 230, 40, 40)).OpenAlert);
        // Open for SceneChangeFrames frames: taken as a change of scene.
        Assert.Null((await Send(40, 230, 40, 40)).OpenAlert);
        var kept = Assert.Single(await home.GetRecentAlertsAsync(10), a => a.Source == "kitchen");
        Assert.Equal(raised.Id, kept.Id);
        Assert.NotNull(kept.ClearedAt);

        // The new scene is calm: its bright tile is now usual.
        for (var i = 0; i < 3; i++)
        {
            var calm = await Send(40, 230, 40, 40);
            Assert.Null(calm.OpenAlert);
            Assert.InRange(calm.Score!.Score, 0f, 0.05f);
        }
        // And the camera still sees a change elsewhere.
        var next = Assert.IsType<AlertRecord>((await Send(40, 230, 230, 40)).OpenAlert);
        Assert.NotEqual(raised.Id, next.Id);
        Assert.Contains("tile (1, 0)", next.Message);
    }
}
