namespace Vigil.Grains.Tests.Support;

/// <summary>
/// A test cluster for camera grains: the frame model is <see cref="BrightTileDetector"/> (generic threshold 0.3),
/// cameras are warm after 3 frames, an alert clears after 2 calm frames and batches go at once. The per-day budget is
/// the caller's: with frames a second apart, 86,400 a day keeps the threshold at its floor.
/// </summary>
internal static class CameraCluster
{
    public static Task<VigilTestCluster> StartAsync(string cameraFalseAlertsPerDay, params (string Key, string Value)[] more)
    {
        var models = new TestModels();
        models.PublishFrames("v1", threshold: 0.3f);
        var settings = new Dictionary<string, string?>
        {
            ["Vigil:Alerts:CameraWarmupFrames"] = "3",
            ["Vigil:Scoring:ClearAfter"] = "2",
            ["Vigil:Scoring:CameraFalseAlertsPerDay"] = cameraFalseAlertsPerDay,
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
        };
        foreach (var (key, value) in more) settings[key] = value;
        return VigilTestCluster.StartAsync(settings, models);
    }
}
