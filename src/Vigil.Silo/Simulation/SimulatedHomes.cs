using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Vigil.Silo.Configuration;
using Vigil.Simulation;

namespace Vigil.Silo.Simulation;

/// <summary>
/// The embedded simulator's homes: sensor signals from <see cref="HomeFleet"/> (daily cycles, appliance steps,
/// noise), camera frames of a fixed scene per camera (<see cref="CameraScene"/>), and anomalies injected as the run goes (a fleet plans its
/// anomalies for a fixed duration; the embedded one runs until stopped).
/// </summary>
internal sealed class SimulatedHomes
{
    /// <summary>Shortest and longest injected anomaly, in samples: long enough for a window to see it.</summary>
    private const int MinAnomalySamples = 12, MaxAnomalySamples = 40;

    /// <summary>Share of sensors that get an anomaly right after the warm-up, so a fresh start shows detections early.</summary>
    private const double FirstWaveShare = 0.1;

    private readonly SimulatorOptions _options;
    private readonly HomeFleet _fleet;
    private readonly FrameMosaics _mosaics;
    private readonly Random _random;
    private readonly DateTimeOffset _start;
    private readonly Dictionary<(string, string), long> _anomalousUntil = [];
    private readonly ILogger _logger;

    public SimulatedHomes(IOptions<SimulatorOptions> options, IOptions<ClusteringOptions> clustering, SimulatorPaths paths, ILogger<SimulatedHomes> logger)
    {
        _options = options.Value;
        _logger = logger;
        _random = new Random(_options.Seed);
        HomeCount = _options.EffectiveHomes(clustering.Value.Mode);
        _fleet = new HomeFleet(new FleetSpec
        {
            Homes = Math.Max(1, HomeCount),
            DevicesPerHome = _options.DevicesPerHome,
            CamerasPerHome = 1,
            AnomalyFraction = 0,
            DaySeconds = SamplesPerDay,
            Seed = _options.Seed,
        });
        _mosaics = FrameMosaics.Load(paths.FashionMnist, paths.NormalClass);
        Cameras = _fleet.Cameras.Select((c, i) =>
        {
            var random = new Random(_options.Seed + 1 + i);
            return new Camera(c.HomeId, c.CameraId, random, _mosaics.NewScene(random));
        }).ToList();
        _start = new DateTimeOffset(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    /// <summary>A simulated camera: it watches its own <see cref="CameraScene"/>, as a mounted camera does.</summary>
    public sealed record Camera(string Home, string Id, Random Random, CameraScene Scene)
    {
        public int Frames { get; set; }

        public bool NextAnomalous { get; set; }
    }

    public int HomeCount { get; }

    public IReadOnlyList<SimulatedDevice> Devices => _fleet.Devices;

    public IReadOnlyList<Camera> Cameras { get; }

    /// <summary>One signal "second" per sample: the fleet's day is this many samples long.</summary>
    private int SamplesPerDay => 24 * 60 / _options.SampleMinutes;

    public DateTimeOffset TimeOf(long tick) => _start.AddMinutes(tick * _options.SampleMinutes);

    /// <summary>Every sensor's reading at <paramref name="tick"/> as NDJSON lines of <c>POST /v1/readings</c>.</summary>
    public string NextReadings(long tick)
    {
        InjectAnomalies(tick);
        var t = TimeOf(tick).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var lines = new StringBuilder(Devices.Count * 80);
        foreach (var device in Devices)
        {
            var v = device.Signal.ValueAt(tick);
            lines.Append(CultureInfo.InvariantCulture,
                $"{{\"home\":{JsonSerializer.Serialize(device.HomeId)},\"device\":{JsonSerializer.Serialize(device.DeviceId)},\"t\":\"{t}\",\"v\":{v.ToString("R", CultureInfo.InvariantCulture)}}}\n");
        }

        return lines.ToString();
    }

    /// <summary>The camera's next frame (8-bit grey), now and then with a tile of another class.</summary>
    public (byte[] Pixels, int Width, int Height, DateTimeOffset At) NextFrame(Camera camera, long tick)
    {
        var anomalous = camera.NextAnomalous
                        || (tick >= _options.WarmupTicks && camera.Random.NextDouble() < _options.FrameAnomalyRate);
        camera.NextAnomalous = false;
        camera.Frames++;
        if (anomalous)
        {
            _logger.LogInformation("Simulator: frame of {Home}/{Camera} carries a foreign tile", camera.Home, camera.Id);
        }

        return (camera.Scene.Frame(camera.Random, anomalous), FrameMosaics.Size, FrameMosaics.Size, TimeOf(tick));
    }

    private void InjectAnomalies(long tick)
    {
        if (tick < _options.WarmupTicks)
        {
            return;
        }

        var firstWave = tick == _options.WarmupTicks;
        foreach (var device in Devices)
        {
            var key = (device.HomeId, device.DeviceId);
            if (_anomalousUntil.TryGetValue(key, out var until) && until > tick)
            {
                continue;
            }

            if (_random.NextDouble() >= (firstWave ? FirstWaveShare : _options.AnomalyRate))
            {
                continue;
            }

            var kind = (AnomalyKind)_random.Next(Enum.GetValues<AnomalyKind>().Length);
            var length = _random.Next(MinAnomalySamples, MaxAnomalySamples + 1);
            device.Signal.Inject(new InjectedAnomaly(device.HomeId, device.DeviceId, kind, tick + 1, tick + 1 + length));
            _anomalousUntil[key] = tick + 1 + length;
            _logger.LogInformation("Simulator: injecting {Kind} into {Home}/{Device} from {At:u} for {Samples} samples",
                kind, device.HomeId, device.DeviceId, TimeOf(tick + 1), length);
        }

        if (firstWave)
        {
            foreach (var camera in Cameras.Take(Math.Max(1, Cameras.Count / 10)))
            {
                camera.NextAnomalous = true;
            }
        }
    }
}
