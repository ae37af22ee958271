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
