using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Simulation;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil simulate</c>: thousands of smart homes against a running cluster's HTTP API, with injected anomalies;
/// ends with a table and the summary line scripts read.
/// </summary>
public static class SimulateCommand
{
    public static Command Create()
    {
        var homes = new Option<int>("--homes") { Description = "Homes to simulate.", DefaultValueFactory = _ => 100 };
        var devices = new Option<int>("--devices-per-home") { Description = "Sensors per home.", DefaultValueFactory = _ => 6 };
        var cameras = new Option<int>("--cameras-per-home") { Description = "Cameras per home.", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate") { Description = "Readings per second per sensor.", DefaultValueFactory = _ => 1 };
        var frameInterval = new Option<double>("--frame-interval") { Description = "Seconds between two frames of a camera (0 = none).", DefaultValueFactory = _ => 10 };
        var duration = new Option<double>("--duration") { Description = "Seconds measured, after the warm-up.", DefaultValueFactory = _ => 60 };
        var target = new Option<string>("--target") { Description = "Base URL of a silo's HTTP API.", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var anomalies = new Option<double>("--anomalies") { Description = "Share of sensors and cameras given one injected anomaly.", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<int>("--seed") { Description = "Seed: same seed, same signals and ground truth.", DefaultValueFactory = _ => 1 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of load before the measured part: windows fill and grains activate; no anomaly starts and no latency is counted in them.", DefaultValueFactory = _ => 90 };
        var devicesPerRequest = new Option<int>("--devices-per-request") { Description = "Sensors per NDJSON request.", DefaultValueFactory = _ => 500 };
        var synchronized = new Option<bool>("--synchronized") { Description = "Every group of sensors posts in the same instant each tick, and every camera in the same instant each frame interval (bursts), instead of each at its own offset as independent hubs and cameras do." };
        var apiKey = new Option<string?>("--key", "--api-key")
        {
            Description = "Operator key, sent as X-Vigil-Key (the bulk route and the alert stream need one); default $VIGIL_KEY.",
        };
        var fastForward = new Option<bool>("--fast-forward")
        {
            Description = "Send the readings and frames as fast as the cluster takes them, timestamps still one tick (one frame interval) apart and ending now: hours of data in minutes, for false alerts per device per day. No latency.",
        };
        var cameraScenes = new Option<string>("--camera-scenes")
        {
            Description = "fixed: each camera watches its own scene (sensor noise, light, objects moved now and then); random: a fresh mosaic every frame.",
            DefaultValueFactory = _ => "fixed",
        };
        cameraScenes.AcceptOnlyFromAmong("fixed", "random");
        var noKinds = new Option<bool>("--no-device-kinds")
        {
            Description = "Do not declare the sensors' kinds (PUT /v1/homes/{home}/devices/{device}): each device's threshold then starts from the score's promise alone, not from the fleet prior of its kind.",
        };
        var images = new Option<string?>("--images") { Description = "Fashion-MNIST folder for camera frames (default ../shared/data/fashion-mnist if present)." };

        var command = new Command("simulate", "Drive a running Vigil cluster with simulated smart homes and measure it.")
        {
            homes, devices, cameras, rate, frameInterval, duration, target, anomalies, seed, warmup, devicesPerRequest, synchronized, fastForward, apiKey, images, cameraScenes, noKinds,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!(parse.GetValue(duration) > 0))
                throw new CliUserException($"--duration must be positive, not {parse.GetValue(duration)}.");
            var spec = new FleetSpec
            {
                Homes = parse.GetValue(homes), DevicesPerHome = parse.GetValue(devices), CamerasPerHome = parse.GetValue(cameras),
                Rate = parse.GetValue(rate), FrameIntervalSeconds = parse.GetValue(frameInterval),
                // The run is the warm-up and then the measured part; anomalies are placed after the warm-up.
                DurationSeconds = parse.GetValue(warmup) + parse.GetValue(duration),
                AnomalyFraction = parse.GetValue(anomalies), Seed = parse.GetValue(seed), WarmupSeconds = parse.GetValue(warmup),
                FixedCameraScenes = parse.GetValue(cameraScenes) == "fixed",
            };
            HomeFleet fleet;
            try { fleet = new HomeFleet(spec); }
            catch (ArgumentException e) { throw new CliUserException(e.Message); }
            if (!Uri.TryCreate(parse.GetValue(target), UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
                throw new CliUserException($"--target '{parse.GetValue(target)}' is not an http(s) URL.");
            if (!baseUri.AbsolutePath.EndsWith('/')) baseUri = new Uri(baseUri + "/");

            var imageFolder = parse.GetValue(images) ?? DefaultImages();
            var frames = FrameMosaics.Load(imageFolder);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = baseUri,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var options = new LoadOptions
            {
                DevicesPerRequest = parse.GetValue(devicesPerRequest),
                SpreadPosts = !parse.GetValue(synchronized),
                MeasureAfterSeconds = parse.GetValue(warmup),
                FastForward = parse.GetValue(fastForward),
                DeclareKinds = !parse.GetValue(noKinds),
                ApiKey = FirstNonEmpty(parse.GetValue(apiKey), Environment.GetEnvironmentVariable("VIGIL_KEY"), Environment.GetEnvironmentVariable("VIGIL_API_KEY")),
            };

            Console.Error.WriteLine($"simulating {spec.Homes} homes ({fleet.Devices.Count} sensors, {fleet.Cameras.Count} cameras, " +
                                    $"{fleet.Anomalies.Count} injected anomalies) against {baseUri}: {spec.WarmupSeconds:F0} s warm-up, then {spec.DurationSeconds - spec.WarmupSeconds:F0} s measured");
            await CheckKeyAsync(http, options.ApiKey, ct);
            var runner = new LoadRunner(http, fleet, frames, options);
            var report = await runner.RunAsync(new Progress<LoadProgress>(p => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {p.ElapsedSeconds,5:F0}/{p.DurationSeconds:F0} s  readings {p.ReadingsAccepted,9}  frames {p.FramesAccepted,7}  dropped {p.Dropped,6}  lag {p.LagSeconds,5:F1} s"))), ct);

            var table = new Table().AddColumns("measure", "value");
            void Row(string k, string v) => table.AddRow(k, v);
            Row("elapsed (s)", report.ElapsedSeconds.ToString("F1", CultureInfo.InvariantCulture));
            Row("readings sent / accepted", $"{report.ReadingsSent} / {report.ReadingsAccepted}");
            Row("frames sent / accepted", $"{report.FramesSent} / {report.FramesAccepted}");
            Row("dropped (after retries)", report.Dropped.ToString(CultureInfo.InvariantCulture));
            Row("ingest-to-score p50 / p99 (ms)", string.Create(CultureInfo.InvariantCulture, $"{report.P50Ms:F1} / {report.P99Ms:F1}"));
            Row("anomalies injected / detected", $"{report.Quality.Anomalies} / {report.Quality.Detected}");
            Row("alerts (true)", $"{report.Alerts} ({report.Quality.TrueAlerts})");
            foreach (var (source, q) in new[] { ("sensors", report.SensorQuality), ("cameras", report.CameraQuality) })
                Row($"{source}: anomalies / detected / alerts (true)", $"{q.Anomalies} / {q.Detected} / {q.Alerts} ({q.TrueAlerts})");
            // Over the whole run (warm-up included): every alert read back, whatever its time.
            string PerDay(int streams, DetectionQuality q) => string.Create(CultureInfo.InvariantCulture,
                $"{(q.Alerts - q.TrueAlerts) / (streams * spec.DurationSeconds / 86_400):F2}");
            void FalseAlertsPerDay(string row, int streams, DetectionQuality q) => Row(row, PerDay(streams, q));
            if (fleet.Devices.Count > 0)
            {
                FalseAlertsPerDay("sensors: false alerts per device per day", fleet.Devices.Count, report.SensorQuality);
                // Which kinds spend them, and what each kind finds: a budget met on average can hide one kind far over
                // it, and a kind held to its budget may be the one that stops seeing its anomalies.
                foreach (var kind in fleet.Devices.GroupBy(d => d.Signal.Kind.Name()))
                {
                    var q = report.SensorQualityByKind.GetValueOrDefault(kind.Key, DetectionQuality.None);
                    Row($"  {kind.Key} ({kind.Count()}): found / false per device-day", $"{q.Detected} of {q.Anomalies} / {PerDay(kind.Count(), q)}");
                }
            }
            if (fleet.Cameras.Count > 0 && spec.FrameIntervalSeconds > 0)
                FalseAlertsPerDay("cameras: false alerts per camera per day", fleet.Cameras.Count, report.CameraQuality);
            Row("HTTP statuses", string.Join(", ", report.Statuses.OrderBy(s => s.Key).Select(s => $"{(s.Key == 0 ? "error" : s.Key)}×{s.Value}")));
            AnsiConsole.Write(table);
            Console.WriteLine(report.SummaryLine());
            return 0;
        });
        return command;
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>
    /// One empty bulk request before the run: the silo checks the key before the body, so a 401 or 403 here means the
    /// key is missing, wrong or not an operator's, and the user gets one line saying so instead of a run of refusals.
    /// </summary>
    private static async Task CheckKeyAsync(HttpClient http, string? key, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/readings") { Content = new StringContent("", System.Text.Encoding.UTF8, "application/x-ndjson") };
        if (key is not null) request.Headers.TryAddWithoutValidation(Vigil.Access.ApiKeyAuthenticator.Header, key);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException)
        {
            return; // unreachable: the run reports it with its own counts
        }

        using (response)
        {
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                throw new CliUserException(key is null
                    ? "the silo needs an API key: pass --key <operator key> or set VIGIL_KEY (the embedded silo prints one at start; `vigil keys create --operator` makes one)."
                    : "the silo refused the key given by --key / VIGIL_KEY (unknown, revoked or mistyped).");
            if (response.StatusCode == System.Net.HttpStatusCode.Forbidden)
                throw new CliUserException("the key given by --key / VIGIL_KEY is a home key; simulate posts to the cluster-wide bulk route, which needs an operator key.");
        }
    }

    private static string? DefaultImages()
    {
        var dir = new DirectoryInfo(Environment.CurrentDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) dir = dir.Parent;
        var candidate = dir is null ? null : Path.Combine(dir.FullName, "..", "shared", "data", "fashion-mnist");
        return candidate is not null && Directory.Exists(candidate) ? candidate : null;
    }
}
