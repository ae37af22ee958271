using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Vigil.Contracts;
using Vigil.Grains.Devices;
using Vigil.Grains.Tests.Support;
using Xunit.Abstractions;

namespace Vigil.Grains.Tests;

/// <summary>Scores → threshold → alerts on the home and the feed; and what the device state costs to persist.</summary>
public sealed class DeviceAlertTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Kind = "lstm-dcnn";
    private VigilTestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        cluster = await VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Scoring:Window"] = "60",
            ["Vigil:Scoring:Stride"] = "1",
            ["Vigil:Scoring:ClearAfter"] = "3",
            ["Vigil:Batching:MaxQueueDelayMs"] = "0",
        }, TestModels.WithLastStep(0.3f));
    }

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task A_spike_raises_an_alert_on_the_home_and_the_feed_and_calm_readings_clear_it()
    {
        var observer = new RecordingObserver();
        var reference = cluster.Client.CreateObjectReference<IAlertObserver>(observer);
        await cluster.Client.GetGrain<IAlertFeedGrain>(GrainKeys.AlertFeed).SubscribeAsync(reference);
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-a", "temp"));

        // 120 calm readings: past the ring fill (10) and the score history's warm-up (50 errors); no alert.
        for (var b = 0; b < 4; b++)
            Assert.Null((await device.AppendAsync(Readings.Batch(b * 30, 30, Readings.Calm))).OpenAlert);
        var calm = await device.GetSnapshotAsync();
        Assert.All(calm.LastScores, s => Assert.True(s.Score < s.Threshold, $"calm score {s.Score} ≥ {s.Threshold}"));

        var spike = await device.AppendAsync(Readings.Batch(120, 1, _ => 10_000));
        output.WriteLine(string.Join("\n", calm.LastScores.Concat(spike.NewScores).Select(s => $"{s.T:mm:ss} raw {s.RawError:0.000} score {s.Score:0.000} thr {s.Threshold:0.000}")));
        var alert = Assert.IsType<AlertRecord>(spike.OpenAlert);
        Assert.Equal((AlertKind.Sensor, "home-a", "temp"), (alert.Kind, alert.Home, alert.Source));
        Assert.Equal(Readings.Start.AddSeconds(120), alert.RaisedAt);
        Assert.True(alert.Score >= alert.Threshold);
        output.WriteLine($"spike: score {alert.Score:0.000}, threshold {alert.Threshold:0.000}; calm max {calm.LastScores.Max(s => s.Score):0.000}");

        var after = await device.AppendAsync(Readings.Batch(121, 10, Readings.Calm));
        Assert.Null(after.OpenAlert);
        var home = await cluster.Client.GetGrain<IHomeGrain>(GrainKeys.ForHome("home-a")).GetRecentAlertsAsync();
        var stored = Assert.Single(home);
        Assert.Equal(alert.Id, stored.Id);
        // Cleared after ClearAfter (3) consecutive calm scorings; the score history may keep the first one or two high.
        Assert.InRange(stored.ClearedAt!.Value, Readings.Start.AddSeconds(123), Readings.Start.AddSeconds(130));

        await observer.WaitForAsync(e => e.Count >= 2, TimeSpan.FromSeconds(10));
        Assert.Equal([AlertEventType.Raised, AlertEventType.Cleared], observer.Events.Select(e => e.Type));
        Assert.All(observer.Events, e => Assert.Equal(alert.Id, e.Alert.Id));
    }

    [Fact]
    public async Task Device_state_for_a_60_reading_window_fits_in_4_KB()
    {
        var device = cluster.Client.GetGrain<IDeviceGrain>(GrainKeys.ForDevice("home-s", "power"));
        for (var b = 0; b < 10; b++)
            await device.AppendAsync(Readings.Batch(b * 30, 30, Readings.Calm));
        await device.AppendAsync(Readings.Batch(300, 1, _ => 10_000)); // an open alert is part of the worst case
        Assert.NotNull((await device.GetSnapshotAsync()).OpenAlert);

        var services = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress);
        var storage = services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
        var state = new GrainState<DeviceState>();
        await storage.ReadStateAsync("device", device.GetGrainId(), state);
        Assert.Equal(60, state.State?.Ring?.Count);

        // What Vigil's storage provider writes (memory or Redis: the serializer keyed by its name), and Orleans' wire format.
        var serializer = services.GetRequiredKeyedService<IGrainStorageSerializer>(GrainStorage.Name);
        Assert.IsType<OrleansGrainStorageSerializer>(serializer);
        var stored = serializer.Serialize(state.State!).ToArray().Length;
        var binary = services.GetRequiredService<Serializer>().SerializeToArray(state.State!).Length;
        output.WriteLine($"device state, 60 readings × 1 channel, open alert: storage serializer {stored} B, Orleans binary {binary} B");
        Assert.InRange(stored, 1, 4096);
        Assert.InRange(binary, 1, 4096);
    }
}
