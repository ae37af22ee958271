namespace Vigil.Simulation.Tests;

public sealed class HomeFleetTests
{
    private static readonly FleetSpec Spec = new()
    {
        Homes = 200, DevicesPerHome = 6, CamerasPerHome = 1, DurationSeconds = 600, AnomalyFraction = 0.1, Seed = 7,
    };

    [Fact]
    public void Fleet_has_the_asked_shape_and_distinct_ids()
    {
        var fleet = new HomeFleet(Spec);
        Assert.Equal(1200, fleet.Devices.Count);
        Assert.Equal(200, fleet.Cameras.Count);
        Assert.Equal(1200, fleet.Devices.Select(d => (d.HomeId, d.DeviceId)).Distinct().Count());
        Assert.All(fleet.Devices, d => Assert.DoesNotContain('/', d.DeviceId));
    }

    [Fact]
    public void Same_seed_same_fleet_and_ground_truth()
    {
        var a = new HomeFleet(Spec);
        var b = new HomeFleet(Spec);
        Assert.Equal(a.Anomalies, b.Anomalies);
        Assert.Equal(a.Devices[5].Signal.ValueAt(10), b.Devices[5].Signal.ValueAt(10));
    }

    [Fact]
    public void Anomalies_fall_after_the_warmup_inside_the_run_at_about_the_asked_fraction()
    {
        var fleet = new HomeFleet(Spec);
        var share = fleet.Anomalies.Count / (double)(fleet.Devices.Count + fleet.Cameras.Count);
        Assert.InRange(share, 0.06, 0.14);
        Assert.All(fleet.Anomalies, a =>
        {
            Assert.True(a.StartSeconds >= Spec.WarmupSeconds);
            Assert.True(a.EndSeconds <= Spec.DurationSeconds);
            Assert.True(a.EndSeconds > a.StartSeconds);
        });
    }

    [Fact]
    public void No_anomalies_when_the_fraction_is_zero() =>
        Assert.Empty(new HomeFleet(Spec with { AnomalyFraction = 0 }).Anomalies);

    [Theory]
    [InlineData(AnomalyKind.Spike)]
    [InlineData(AnomalyKind.LevelShift)]
    [InlineData(AnomalyKind.Oscillation)]
    public void An_injected_anomaly_moves_the_signal_far_outside_its_normal_range(AnomalyKind kind)
    {
        var normal = new SensorSignal(SensorKind.Temperature, seed: 3, daySeconds: 86_400);
        var broken = new SensorSignal(SensorKind.Temperature, seed: 3, daySeconds: 86_400);
        broken.Inject(new InjectedAnomaly("h", "d", kind, 100, 130));
        double maxGap = 0;
        for (int t = 0; t < 200; t++)
        {
            var gap = Math.Abs(broken.ValueAt(t) - normal.ValueAt(t));
            if (t < 100 || t >= 130) Assert.Equal(0, gap, 6); else maxGap = Math.Max(maxGap, gap);
        }
        Assert.True(maxGap > 3, $"gap {maxGap}");
    }

    [Fact]
    public void A_flat_line_freezes_the_value()
    {
        var signal = new SensorSignal(SensorKind.Humidity, seed: 5, daySeconds: 600);
        signal.Inject(new InjectedAnomaly("h", "d", AnomalyKind.FlatLine, 50, 80));
        var frozen = Enumerable.Range(0, 100).Select(t => signal.ValueAt(t)).Skip(50).Take(30).Distinct().ToList();
        Assert.Single(frozen);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Bad_specs_are_refused_naming_the_option(int homes)
    {
        var e = Assert.Throws<ArgumentException>(() => new HomeFleet(Spec with { Homes = homes }));
        Assert.Contains("--homes", e.Message);
    }
}

public sealed class DetectionMatcherTests
{
    private static readonly InjectedAnomaly[] Truth =
    [
        new("h1", "temperature-1", AnomalyKind.Spike, 100, 130),
        new("h2", "power-1", AnomalyKind.LevelShift, 200, 230),
    ];

    [Fact]
    public void Alerts_inside_or_just_after_an_anomaly_count_others_are_false()
    {
        ObservedAlert[] alerts =
        [
            new("h1", "temperature-1", 110),   // inside
            new("h1", "temperature-1", 500),   // far after: false
            new("h2", "power-1", 235),         // within grace
            new("h3", "door-1", 120),          // no anomaly there: false
        ];
        var q = DetectionMatcher.Match(Truth, alerts, graceSeconds: 10);
        Assert.Equal(2, q.Detected);
        Assert.Equal(1.0, q.Recall);
        Assert.Equal(0.5, q.Precision);
    }

    [Fact]
    public void An_alert_on_another_device_of_the_home_does_not_count()
    {
        var q = DetectionMatcher.Match(Truth, [new("h1", "humidity-1", 110)], graceSeconds: 10);
        Assert.Equal(0, q.Detected);
        Assert.Equal(0.0, q.Precision);
    }

    [Fact]
    public void Sensors_and_cameras_are_matched_apart_and_the_sensors_kind_by_kind()
    {
        InjectedAnomaly[] anomalies =
        [
            new("home-1", "temperature-1", AnomalyKind.Spike, 100, 120),
            new("home-1", "camera-1", AnomalyKind.Spike, 100, 110),
            new("home-2", "power-1", AnomalyKind.LevelShift, 200, 230),
        ];
        ObservedAlert[] alerts =
        [
            new("home-1", "temperature-1", 105), // true
            new("home-1", "temperature-1", 500), // false
            new("home-2", "camera-1", 50),       // false, a camera
            new("home-1", "camera-1", 108),      // true, a camera
            new("home-3", "humidity-2", 40),     // false, a sensor of no known kind (an earlier run's)
        ];

        var (sensors, cameras, byKind) = DetectionMatcher.MatchBySource(anomalies, alerts, 30,
            (_, id) => id.StartsWith("camera-", StringComparison.Ordinal), (_, id) => id.EndsWith("-1", StringComparison.Ordinal) ? id[..id.IndexOf('-')] : null);

        Assert.Equal(new DetectionQuality(Anomalies: 2, Detected: 1, Alerts: 3, TrueAlerts: 1), sensors);
        Assert.Equal(new DetectionQuality(Anomalies: 1, Detected: 1, Alerts: 2, TrueAlerts: 1), cameras);
        Assert.Equal(["power", "temperature"], byKind.Keys.Order());
        Assert.Equal(new DetectionQuality(Anomalies: 1, Detected: 1, Alerts: 2, TrueAlerts: 1), byKind["temperature"]);
        Assert.Equal(new DetectionQuality(Anomalies: 1, Detected: 0, Alerts: 0, TrueAlerts: 0), byKind["power"]);
        Assert.Equal(DetectionMatcher.Match(anomalies, alerts, 30), sensors + cameras);
    }
}

public sealed class DetectionMatcherByGroupTests
{
    [Fact]
    public void Quality_per_group_covers_every_group_with_an_anomaly_or_an_alert_and_adds_up_to_the_whole()
    {
        InjectedAnomaly[] anomalies =
        [
            new("home-1", "power-1", AnomalyKind.Spike, 100, 120),
            new("home-2", "power-1", AnomalyKind.LevelShift, 200, 230),
            new("home-1", "door-1", AnomalyKind.Spike, 300, 310),
        ];
        ObservedAlert[] alerts =
        [
            new("home-1", "power-1", 105),       // true
            new("home-1", "power-1", 900),       // false
            new("home-2", "power-1", 990),       // false
            new("home-2", "temperature-1", 50),  // false, a kind with no anomaly
        ];

        var byKind = DetectionMatcher.MatchByGroup(anomalies, alerts, 30, (_, id) => id[..id.IndexOf('-')]);

        Assert.Equal(["door", "power", "temperature"], byKind.Keys.Order());
        Assert.Equal(new DetectionQuality(Anomalies: 2, Detected: 1, Alerts: 3, TrueAlerts: 1), byKind["power"]);
        Assert.Equal(new DetectionQuality(Anomalies: 1, Detected: 0, Alerts: 0, TrueAlerts: 0), byKind["door"]);
        Assert.Equal(new DetectionQuality(Anomalies: 0, Detected: 0, Alerts: 1, TrueAlerts: 0), byKind["temperature"]);
        Assert.Equal(DetectionMatcher.Match(anomalies, alerts, 30), byKind.Values.Aggregate((a, b) => a + b));
    }
}

public sealed class LatencyRecorderTests
{
    [Fact]
    public void Percentiles_use_nearest_rank()
    {
        var r = new LatencyRecorder();
        for (int i = 1; i <= 100; i++) r.Record(i);
        Assert.Equal(50, r.Percentile(50));
        Assert.Equal(99, r.Percentile(99));
        Assert.Equal(100, r.Percentile(100));
    }

    [Fact]
    public void Beyond_capacity_the_sample_stays_bounded_and_representative()
    {
        var r = new LatencyRecorder(capacity: 1000);
        for (int i = 0; i < 100_000; i++) r.Record(i % 100);
        Assert.Equal(1000, r.Count);
        Assert.InRange(r.Percentile(50), 40, 60);
    }

    [Fact]
    public void No_samples_no_percentile() => Assert.True(double.IsNaN(new LatencyRecorder().Percentile(50)));
}
