using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Simulation.Tests;

/// <summary>
/// The runner against a small real HTTP server that speaks the ingestion routes' protocol (202, 429 with
/// Retry-After) and records what arrives; the full silo is exercised by the silo's own tests.
/// </summary>
public sealed class LoadRunnerTests : IAsyncLifetime
{
    private WebApplication? _app;
    private readonly ConcurrentQueue<(string Device, DateTimeOffset T)> _readings = new();
    private readonly ConcurrentQueue<string> _frames = new();
    private readonly ConcurrentQueue<TimeSpan> _frameArrivals = new();
    private readonly Dictionary<string, List<DateTimeOffset>> _frameTimes = [];
    private readonly ConcurrentQueue<(DateTimeOffset T, TimeSpan Arrived)> _posts = new();
    private readonly System.Diagnostics.Stopwatch _serverClock = System.Diagnostics.Stopwatch.StartNew();
    private int _throttleFirst;
    private bool _refuseAll;
    private int _partlyApplyFirst;
    private int _partlyApplyNamingNoneFirst;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastStored = new();
    private readonly ConcurrentQueue<string[]> _resentDevices = new();
    private readonly ConcurrentBag<object> _alerts = [];
    private readonly ConcurrentDictionary<string, (string Kind, bool AfterReadings)> _kinds = new();
    private bool _refuseKinds;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/readings", async (HttpRequest request, HttpResponse response) =>
        {
            if (_refuseAll) return Results.Problem(statusCode: 400);
            if (Interlocked.Decrement(ref _throttleFirst) >= 0)
            {
                response.Headers.RetryAfter = "1";
                return Results.StatusCode(429);
            }
            var arrived = _serverClock.Elapsed;
            using var reader = new StreamReader(request.Body);
            var lines = new List<(string Device, DateTimeOffset T)>();
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null)
            {
                using var json = JsonDocument.Parse(line);
                lines.Add((json.RootElement.GetProperty("home").GetString() + "/" + json.RootElement.GetProperty("device").GetString(),
                    json.RootElement.GetProperty("t").GetDateTimeOffset()));
            }
            // As the silo: a reading not newer than its device's last stored one is refused, and nothing is stored.
            if (lines.Any(l => _lastStored.TryGetValue(l.Device, out var last) && l.T <= last))
                return Results.Problem(statusCode: 400, title: "Bad readings");
            var devices = lines.Select(l => l.Device).Distinct().ToArray();
            if (_partlyApplyFirst > 0 && devices.Length > 1 && Interlocked.Decrement(ref _partlyApplyFirst) >= 0)
            {
                // As the silo when a model queue fills midway: the first half of the devices stored, the rest not.
                var notApplied = devices[(devices.Length / 2)..];
                Store(lines.Where(l => !notApplied.Contains(l.Device)), arrived);
                response.Headers.RetryAfter = "1";
                return Results.Problem(statusCode: 429, title: "Partially applied",
                    extensions: new Dictionary<string, object?> { ["notApplied"] = notApplied });
            }
            if (Interlocked.Decrement(ref _partlyApplyNamingNoneFirst) >= 0)
            {
                // A contradictory answer: "partly applied", naming no device of this request (nothing was stored).
                response.Headers.RetryAfter = "1";
                return Results.Problem(statusCode: 429, title: "Partially applied",
                    extensions: new Dictionary<string, object?> { ["notApplied"] = new[] { "home-elsewhere/unknown-1" } });
            }
            if (!_posts.IsEmpty && _resentDevices.Count < 100) _resentDevices.Enqueue(devices);
            Store(lines, arrived);
            return Results.Accepted();
        });
        _app.MapPost("/v1/homes/{home}/cameras/{camera}/frames", (string home, string camera, int width, int height, DateTimeOffset? t) =>
        {
            _frameArrivals.Enqueue(_serverClock.Elapsed);
            _frames.Enqueue($"{home}/{camera}:{width}x{height}");
            if (t is { } time)
            {
                // As the silo: a frame not newer than the camera's last is refused.
                var key = $"{home}/{camera}";
                lock (_frameTimes)
                {
                    if (_frameTimes.TryGetValue(key, out var times) && times[^1] >= time) return Results.Problem(statusCode: 400);
                    (_frameTimes.TryGetValue(key, out var list) ? list : _frameTimes[key] = []).Add(time);
                }
            }
            return Results.Accepted();
        });
        _app.MapPut("/v1/homes/{home}/devices/{device}", async (string home, string device, HttpRequest request) =>
        {
            if (_refuseKinds) return Results.Problem(statusCode: 400);
            using var json = await JsonDocument.ParseAsync(request.Body);
            // Before any of the device's readings, as the silo needs for its threshold to start from the kind's prior.
            _kinds[$"{home}/{device}"] = (json.RootElement.GetProperty("kind").GetString()!, _readings.Any(r => r.Device == $"{home}/{device}"));
            return Results.Ok();
        });
        _app.MapGet("/v1/homes/{home}/alerts", (string home) => Results.Json(_alerts.Where(a => ((dynamic)a).home == home)));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _http = new HttpClient { BaseAddress = new Uri(address + "/") };
    }

    private void Store(IEnumerable<(string Device, DateTimeOffset T)> lines, TimeSpan arrived)
    {
        var first = true;
        foreach (var (device, t) in lines)
        {
            if (first) _posts.Enqueue((t, arrived));
            first = false;
            _readings.Enqueue((device, t));
            _lastStored[device] = t;
        }
    }

    private static HomeFleet Fleet(double anomalies = 0) => new(new FleetSpec
    {
        Homes = 10, DevicesPerHome = 3, CamerasPerHome = 1, Rate = 10, DurationSeconds = 2, FrameIntervalSeconds = 1,
        AnomalyFraction = anomalies, WarmupSeconds = 0,
    });

    [Fact]
    public async Task Every_sensor_declares_its_kind_once_before_its_readings_unless_told_not_to()
    {
        var fleet = Fleet();
        await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions()).RunAsync();
        Assert.Equal(fleet.Devices.Count, _kinds.Count);
        foreach (var device in fleet.Devices)
            Assert.Equal((device.Signal.Kind.Name(), false), _kinds[$"{device.HomeId}/{device.DeviceId}"]);

        _kinds.Clear();
        await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { DeclareKinds = false }).RunAsync();
        Assert.Empty(_kinds);
    }

    [Fact]
    public async Task A_cluster_that_refuses_the_kinds_stops_the_run_before_any_reading_saying_why()
    {
        _refuseKinds = true;
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => new LoadRunner(_http!, Fleet(), FrameMosaics.Load(null), new LoadOptions()).RunAsync());
        Assert.Contains("refused the kind", e.Message);
        Assert.Empty(_readings);
    }

    [Fact]
    public async Task Every_reading_arrives_once_and_in_order_per_device_and_frames_carry_their_size()
    {
        var fleet = Fleet();
        var report = await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { DevicesPerRequest = 7 }).RunAsync();

        Assert.Equal(30 * 20, report.ReadingsSent);
        Assert.Equal(report.ReadingsSent, report.ReadingsAccepted);
        Assert.Equal(0, report.Dropped);
        foreach (var device in _readings.GroupBy(r => r.Device))
        {
            var times = device.Select(r => r.T).ToList();
            Assert.Equal(20, times.Count);
            Assert.Equal(times.OrderBy(t => t), times);
        }
        Assert.Equal(20, _frames.Count);
        Assert.All(_frames, f => Assert.EndsWith($":{FrameMosaics.Size}x{FrameMosaics.Size}", f));
        Assert.True(report.P99Ms >= report.P50Ms);
        Assert.Matches(@"^readings/s=\d+\.\d frames/s=\d+\.\d p50_ms=\d+\.\d p99_ms=\d+\.\d dropped=0 alerts=0 recall=\S+ precision=\S+$", report.SummaryLine());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Groups_post_at_their_own_offset_within_the_tick_unless_synchronized(bool spread)
    {
        // 4 groups of 3 sensors at 1 Hz: spread, group i posts i/4 s into each tick; synchronized, all at once.
        var fleet = new HomeFleet(new FleetSpec
        {
            Homes = 4, DevicesPerHome = 3, CamerasPerHome = 0, Rate = 1, DurationSeconds = 2, AnomalyFraction = 0, WarmupSeconds = 0,
        });
        await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { DevicesPerRequest = 3, SpreadPosts = spread }).RunAsync();

        var firstTick = _posts.Where(p => p.T == _posts.Min(q => q.T)).Select(p => p.Arrived.TotalSeconds).Order().ToList();
        Assert.Equal(4, firstTick.Count);
        var width = firstTick[^1] - firstTick[0];
        if (spread)
            Assert.InRange(width, 0.6, 1.0); // 0, 0.25, 0.5, 0.75 s
        else
            Assert.InRange(width, 0, 0.2);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cameras_send_at_their_own_offset_within_the_frame_interval_unless_synchronized(bool spread)
    {
        // 4 cameras, one frame every 2 s: spread, camera i sends i/4 of the interval (0.5 s) after camera i-1.
        var fleet = new HomeFleet(new FleetSpec
        {
            Homes = 4, DevicesPerHome = 0, CamerasPerHome = 1, Rate = 1, DurationSeconds = 2, FrameIntervalSeconds = 2,
            AnomalyFraction = 0, WarmupSeconds = 0,
        });
        var before = _serverClock.Elapsed.TotalSeconds;
        await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { SpreadPosts = spread }).RunAsync();

        var arrivals = _frameArrivals.Select(a => a.TotalSeconds - before).Order().ToList();
        Assert.Equal(4, arrivals.Count);
        if (spread)
        {
            // Camera i sends no earlier than i × 0.5 s into the run. Measured from the run's start, not from the first
            // arrival: a busy machine may delay the first sends (a CI run once saw all four within 0.6 s of each other
            // after a slow start), which only makes arrivals later.
            for (var i = 0; i < arrivals.Count; i++)
                Assert.True(arrivals[i] >= i * 0.5 - 0.02, $"arrival {i} at {arrivals[i]:F3} s: {string.Join(", ", arrivals.Select(a => a.ToString("F3")))}");
        }
        else
            Assert.InRange(arrivals[^1] - arrivals[0], 0, 1.0); // sent together (spread would put 1.5 s between the first and the last); 0.75 s seen under load
    }

    [Fact]
    public async Task Requests_sent_during_the_warm_up_are_left_out_of_the_latency_percentiles()
    {
        // 1 Hz for 3 s: ticks at 0, 1 and 2 s, two groups of 3 sensors. Measuring after 1.5 s leaves tick 0 out.
        var fleet = new HomeFleet(new FleetSpec
        {
            Homes = 2, DevicesPerHome = 3, CamerasPerHome = 0, Rate = 1, DurationSeconds = 3, AnomalyFraction = 0, WarmupSeconds = 0,
        });
        var all = await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { DevicesPerRequest = 3 }).RunAsync();
        var late = await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { DevicesPerRequest = 3, MeasureAfterSeconds = 1.5 }).RunAsync();
        var never = await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { DevicesPerRequest = 3, MeasureAfterSeconds = 10 }).RunAsync();

        // Each group's first request (tick 0, sent at once) is in the warm-up and its last (tick 2, sent at 2 s or later)
        // is not; tick 1 may land on either side when the machine is busy, and a group that falls behind merges ticks.
        Assert.InRange(late.LatencySamples, 2, all.LatencySamples - 2);
        Assert.Equal(0, never.LatencySamples);
        Assert.True(double.IsNaN(never.P99Ms));
        Assert.Equal(all.ReadingsAccepted, never.ReadingsAccepted); // the warm-up's readings are still sent and counted
    }

    [Fact]
    public async Task Fast_forward_sends_an_hour_of_readings_in_data_time_without_waiting_for_the_clock()
    {
        var fleet = new HomeFleet(new FleetSpec
        {
            Homes = 2, DevicesPerHome = 3, CamerasPerHome = 0, Rate = 1, DurationSeconds = 3600, AnomalyFraction = 0, WarmupSeconds = 0,
        });
        var before = DateTimeOffset.UtcNow;

        var report = await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { DevicesPerRequest = 3, FastForward = true, FastForwardTicks = 600 })
            .RunAsync();

        Assert.True(report.ElapsedSeconds < 600, $"an hour of data took {report.ElapsedSeconds:F0} s"); // real time would be 3,600 s
        Assert.Equal(6 * 3600, report.ReadingsAccepted);
        Assert.Equal(2 * 6, _posts.Count); // two groups, 600 ticks per request
        var byDevice = _readings.GroupBy(r => r.Device).ToList();
        Assert.Equal(6, byDevice.Count);
        foreach (var device in byDevice)
        {
            var times = device.Select(r => r.T).ToList();
            Assert.Equal(times.Order(), times); // in order, one second apart
            Assert.Equal(TimeSpan.FromSeconds(3599), times[^1] - times[0]);
            Assert.InRange(times[^1], before.AddSeconds(-2), DateTimeOffset.UtcNow); // the data ends now, never in the future
        }
        Assert.True(double.IsNaN(report.P99Ms)); // no latency in data time
    }

    [Fact]
    public async Task Fast_forward_sends_frames_stamped_with_their_data_time_in_order_per_camera()
    {
        var fleet = new HomeFleet(new FleetSpec
        {
            Homes = 20, DevicesPerHome = 1, CamerasPerHome = 1, Rate = 1, DurationSeconds = 3600, FrameIntervalSeconds = 60,
            AnomalyFraction = 0, WarmupSeconds = 0,
        });
        var before = DateTimeOffset.UtcNow;

        var report = await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions { FastForward = true, FrameConcurrency = 8 }).RunAsync();

        Assert.True(report.ElapsedSeconds < 600, $"an hour of frames took {report.ElapsedSeconds:F0} s");
        Assert.Equal(20 * 60, report.FramesAccepted);
        Assert.Equal(0, report.Dropped);
        Assert.Equal(20, _frameTimes.Count);
        foreach (var times in _frameTimes.Values)
        {
            Assert.Equal(60, times.Count); // every frame accepted: none arrived out of order
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.Equal(TimeSpan.FromSeconds(60), pair.Second - pair.First));
            Assert.InRange(times[^1], before.AddSeconds(-62), DateTimeOffset.UtcNow);
        }
    }

    [Fact]
    public async Task Throttled_requests_are_retried_after_Retry_After_and_nothing_is_dropped()
    {
        _throttleFirst = 2;
        var report = await new LoadRunner(_http!, Fleet(), FrameMosaics.Load(null), new LoadOptions()).RunAsync();
        Assert.Equal(0, report.Dropped);
        Assert.Equal(2, report.Statuses[429]);
        Assert.Equal(report.ReadingsSent, _readings.Count);
    }

    /// <summary>Two minutes of 6 sensors, fast-forward, every request all 6 devices over 60 ticks.</summary>
    private async Task<(HomeFleet Fleet, LoadReport Report)> SixSensorsInRequestsOfSixtyTicksAsync()
    {
        var fleet = new HomeFleet(new FleetSpec
        {
            Homes = 2, DevicesPerHome = 3, CamerasPerHome = 0, Rate = 1, DurationSeconds = 120, AnomalyFraction = 0, WarmupSeconds = 0,
        });
        var options = new LoadOptions { DevicesPerRequest = 6, FastForward = true, FastForwardTicks = 60 };
        return (fleet, await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), options).RunAsync());
    }

    [Fact]
    public async Task A_partly_applied_request_is_resent_for_the_devices_not_applied_only()
    {
        _partlyApplyFirst = 1;
        var (fleet, report) = await SixSensorsInRequestsOfSixtyTicksAsync();

        Assert.Equal(1, report.Statuses[429]);
        Assert.False(report.Statuses.ContainsKey(400)); // a whole resend repeats the stored devices' readings: refused as late
        Assert.Equal(0, report.Dropped);
        Assert.Equal(6 * 120, report.ReadingsAccepted);
        Assert.Equal(report.ReadingsSent, report.ReadingsAccepted);
        Assert.Equal(6 * 120, _readings.Count); // each reading stored once
        // The resend carries the second half of the first request's devices, the ones the server did not store.
        Assert.Equal(fleet.Devices.Skip(3).Select(d => $"{d.HomeId}/{d.DeviceId}"), _resentDevices.First());
        foreach (var device in _readings.GroupBy(r => r.Device))
            Assert.Equal(device.Select(r => r.T).Order(), device.Select(r => r.T));
    }

    [Fact]
    public async Task A_partly_applied_answer_that_names_none_of_the_requests_devices_resends_the_whole_request()
    {
        _partlyApplyNamingNoneFirst = 1;
        var (_, report) = await SixSensorsInRequestsOfSixtyTicksAsync();

        Assert.Equal(1, report.Statuses[429]);
        Assert.Equal(0, report.Dropped);
        Assert.Equal(6 * 120, _readings.Count); // the first request was sent again, whole: nothing of it counted stored unsent
        Assert.Equal(_readings.Count, report.ReadingsAccepted);
    }

    [Fact]
    public async Task Refused_readings_count_as_dropped()
    {
        _refuseAll = true;
        var report = await new LoadRunner(_http!, Fleet(), FrameMosaics.Load(null), new LoadOptions()).RunAsync();
        Assert.Equal(report.ReadingsSent, report.Dropped - report.FramesSent + report.FramesAccepted);
        Assert.Equal(0, report.ReadingsAccepted);
    }

    [Fact]
    public async Task Alerts_read_back_are_matched_against_the_injected_anomalies()
    {
        var fleet = new HomeFleet(new FleetSpec
        {
            Homes = 4, DevicesPerHome = 2, CamerasPerHome = 0, Rate = 2, DurationSeconds = 2, AnomalyFraction = 1, WarmupSeconds = 0,
            MinAnomalySeconds = 0.5, MaxAnomalySeconds = 1,
        });
        var start = DateTimeOffset.UtcNow;
        var truth = fleet.Anomalies[0];
        _alerts.Add(new { home = truth.HomeId, source = truth.DeviceId, kind = "Sensor", raisedAt = start.AddSeconds(truth.StartSeconds + 1) });
        _alerts.Add(new { home = truth.HomeId, source = "elsewhere", kind = "Sensor", raisedAt = start.AddSeconds(1) });
        _alerts.Add(new { home = truth.HomeId, source = truth.HomeId, kind = "Home", raisedAt = start.AddSeconds(1) });

        var report = await new LoadRunner(_http!, fleet, FrameMosaics.Load(null), new LoadOptions()).RunAsync();

        Assert.Equal(2, report.Alerts);           // the fused home alert is not counted twice
        Assert.Equal(1, report.Quality.TrueAlerts);
        Assert.Equal(1, report.Quality.Detected);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
