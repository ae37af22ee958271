using System.CommandLine;
using System.Globalization;
using TorchSharp;
using Vigil.Cli.Commands.ClusterBench;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Scoring;
using Vigil.Simulation;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil bench cluster</c>: the whole path (HTTP → device grain → model grain batch → answer) of an embedded silo
/// in this process, driven by simulated devices through the real HTTP API. In one run: batched against unbatched
/// (batch size 1), the cost of tracing (sampling 0, 0.01 and 1.0 with spans exported over OTLP to a local receiver),
/// and the full path's readings/s against the raw batched throughput of the same detector measured in the same run.
/// </summary>
public static class BenchClusterCommand
{
    /// <summary>The silo's default <c>Vigil:Batching:MaxBatchSize</c>: the batch the raw detector is measured at.</summary>
    private const int DefaultBatch = 64;

    public static Command Create()
    {
        var devices = new Option<int>("--devices") { Description = "Simulated single-channel sensors.", DefaultValueFactory = _ => 1000 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per variant (after the warm-up).", DefaultValueFactory = _ => 15 };
        var warmup = new Option<double>("--warmup") { Description = "Unmeasured seconds of load before each measurement.", DefaultValueFactory = _ => 3 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight (closed loop; each owns a share of the devices).", DefaultValueFactory = _ => 8 };
        var perRequest = new Option<int>("--readings-per-request") { Description = "Readings of each device per request (a hub posting every N seconds at 1 Hz); each is scored (stride 1).", DefaultValueFactory = _ => 10 };
        var detector = new Option<string>("--detector") { Description = "Detector the device grains use: lstm-dcnn or autoencoder.", DefaultValueFactory = _ => DetectorKinds.LstmDcnn };
        var models = new Option<string>("--models") { Description = "Folder of bundles (models/<kind>).", DefaultValueFactory = _ => "models" };
        var command = new Command("cluster", "Readings/s and ingest-to-score latency of an embedded silo through its HTTP API: batched vs unbatched, tracing cost, share of the raw detector rate.")
        {
            devices, seconds, warmup, concurrency, perRequest, detector, models,
        };
        command.SetAction((parse, ct) => RunAsync(new Settings(parse.GetValue(devices), parse.GetValue(seconds), parse.GetValue(warmup),
            parse.GetValue(concurrency), parse.GetValue(perRequest), parse.GetValue(detector)!, parse.GetValue(models)!), ct));
        return command;
    }

    private sealed record Settings(int Devices, double Seconds, double Warmup, int Concurrency, int ReadingsPerRequest, string Detector, string Models);

    private sealed record VariantResult(SiloVariant Variant, LoadResult Load, double MeanBatch, long TraceExports, long TraceBytes);

    private static async Task<int> RunAsync(Settings s, CancellationToken ct)
    {
        Validate(s);
        TorchRuntime.EnsureInitialised();

        // The raw detector first, on a quiet process: the rate the full path is held against. It runs on a fresh
        // thread, as a model grain's batcher does: libtorch's OpenMP thread count is per thread (OMP_NUM_THREADS or
        // the core count for a new thread), so the raw rate and the silo's forward passes run alike.
        (double Batch1, double Batched, int InputLength, int Threads) raw = default;
        Exception? failure = null;
        var rawThread = new Thread(() =>
        {
            try { raw = MeasureRawDetector(s); }
            catch (Exception e) { failure = e; }
        });
        rawThread.UnsafeStart();
        rawThread.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        var (raw1, raw64, inputLength) = (raw.Batch1, raw.Batched, raw.InputLength);
        var omp = Environment.GetEnvironmentVariable("OMP_NUM_THREADS");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"raw {s.Detector} (same process, {raw.Threads} torch thread(s), OMP_NUM_THREADS={(string.IsNullOrEmpty(omp) ? "unset" : omp)}): batch 1 = {raw1:N0} windows/s, batch {DefaultBatch} = {raw64:N0} windows/s"));

        var fleet = new HomeFleet(new FleetSpec
        {
            Homes = (s.Devices + 5) / 6, DevicesPerHome = 6, CamerasPerHome = 0, AnomalyFraction = 0, DurationSeconds = 3600, Seed = 7,
        });
        var variants = new[]
        {
            new SiloVariant("batched, sampling 0", DefaultBatch, 0),
            new SiloVariant("unbatched, sampling 0", 1, 0),
            new SiloVariant("batched, sampling 0.01", DefaultBatch, 0.01),
            new SiloVariant("batched, sampling 1.0", DefaultBatch, 1.0),
            // The baseline again at the end: on a shared machine the load drifts during a run; the ratios use the
            // mean of both baseline runs, and the two rows show how far the machine drifted.
            new SiloVariant("batched, sampling 0, again", DefaultBatch, 0),
        };

        await using var sink = await OtlpSink.StartAsync();
        using var probe = new BatchSizeProbe();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = s.Concurrency + 4 }) { Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add(Vigil.Access.ApiKeyAuthenticator.Header, EmbeddedSilo.OperatorKey);
        var results = new List<VariantResult>();
        foreach (var variant in variants)
        {
            Console.Error.WriteLine($"bench cluster: {variant.Name}: starting silo");
            var (exportsBefore, bytesBefore) = (sink.TraceRequests, sink.TraceBytes);
            LoadResult load;
            double meanBatch;
            await using (var silo = await EmbeddedSilo.StartAsync(variant, s.Models, s.Detector, sink.Endpoint, ct))
            {
                await silo.WaitReadyAsync(http, TimeSpan.FromSeconds(120), ct);
                // Fresh device grains per variant: fill every window (its first score comes with the last reading).
                var devices = fleet.Devices.Take(s.Devices).ToList();
                var driver = new ClosedLoopLoad(http, silo.Address, devices, s.Concurrency, s.ReadingsPerRequest);
                await driver.PrefillAsync(inputLength, ct);
                Console.Error.WriteLine($"bench cluster: {variant.Name}: {devices.Count} devices in {driver.Groups} loops, measuring {s.Seconds:F0} s");
                var warm = TimeSpan.FromSeconds(s.Warmup);
                var measuring = Task.Delay(warm, ct).ContinueWith(_ => probe.Reset(), ct, TaskContinuationOptions.None, TaskScheduler.Default);
                load = await driver.RunAsync(warm, TimeSpan.FromSeconds(s.Seconds), ct);
                await measuring;
                meanBatch = probe.MeanBatch;
            }
            // Stopping the silo flushed its exporter: the spans of the run have reached the receiver.
            results.Add(new VariantResult(variant, load, meanBatch, sink.TraceRequests - exportsBefore, sink.TraceBytes - bytesBefore));
        }

        Print(s, results, raw64);
        return 0;
    }

    private static void Validate(Settings s)
    {
        if (s.Devices < 1) throw new CliUserException($"--devices must be positive, not {s.Devices}.");
        if (s.Concurrency < 1 || s.Concurrency > s.Devices) throw new CliUserException($"--concurrency must lie in 1..--devices ({s.Devices}), not {s.Concurrency}.");
        if (s.ReadingsPerRequest is < 1 or > 600) throw new CliUserException($"--readings-per-request must lie in 1..600, not {s.ReadingsPerRequest}.");
        if (!(s.Seconds > 0)) throw new CliUserException($"--seconds must be positive, not {s.Seconds}.");
        if (!(s.Warmup >= 0)) throw new CliUserException($"--warmup must be >= 0, not {s.Warmup}.");
        if (s.Detector is not (DetectorKinds.LstmDcnn or DetectorKinds.Autoencoder))
            throw new CliUserException($"--detector must be {DetectorKinds.LstmDcnn} or {DetectorKinds.Autoencoder}, not '{s.Detector}'.");
        var bundle = Path.Combine(s.Models, s.Detector);
        if (!Directory.Exists(bundle)) throw new CliUserException($"no {s.Detector} bundle at '{bundle}' (--models names the folder holding models/<kind>).");
    }

    /// <summary>Windows/s of the detector at batch 1 and at the silo's batch size, with <c>vigil bench detectors</c>' code.</summary>
    private static (double Batch1, double Batched, int InputLength, int Threads) MeasureRawDetector(Settings s)
    {
        DetectorBenchCase? chosen = null;
        try
        {
            foreach (var bench in DetectorBenchCases.SeriesCases(s.Models, "cpu"))
            {
                if (bench.Name == s.Detector) chosen = bench;
                else bench.Dispose();
            }
        }
        catch (BundleException e)
        {
            throw new CliUserException(e.Message, e);
        }
        using var raw = chosen ?? throw new CliUserException($"no {s.Detector} bundle in '{s.Models}'.");
        using var detector = DetectorLoader.LoadSeries(Path.Combine(s.Models, s.Detector), "cpu");
        var seconds = Math.Clamp(s.Seconds / 5, 0.5, 3);
        var batch1 = BenchDetectorsCommand.Measure(raw.PrepareBatch(1), seconds);
        var batched = BenchDetectorsCommand.Measure(raw.PrepareBatch(DefaultBatch), seconds) * DefaultBatch;
        return (batch1, batched, detector.InputLength, torch.get_num_threads());
    }

    private static void Print(Settings s, List<VariantResult> results, double raw64)
    {
        string F(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        Console.WriteLine(F($"{s.Devices} devices, {s.ReadingsPerRequest} reading(s) per device per request, {s.Concurrency} requests in flight, {s.Seconds:F0} s measured per variant, detector {s.Detector}"));
        Console.WriteLine(F($"{"variant",-27} {"readings/s",11} {"CPU µs/reading",14} {"p50 ms",8} {"p99 ms",8} {"mean batch",10} {"failed",7} {"OTLP trace exports",19}"));
        foreach (var r in results)
        {
            Console.WriteLine(F($"{r.Variant.Name,-27} {r.Load.ReadingsPerSecond,11:F0} {r.Load.CpuMicrosecondsPerReading,14:F1} {r.Load.P50Ms,8:F1} {r.Load.P99Ms,8:F1} {r.MeanBatch,10:F1} {r.Load.FailedRequests,7} {$"{r.TraceExports} ({r.TraceBytes / 1024.0:F0} KiB)",19}"));
        }
        foreach (var r in results.Where(r => r.Load.FirstFailure is not null))
            Console.WriteLine($"{r.Variant.Name}: first failed request: {r.Load.FirstFailure}");

        var batched = (results[0].Load.ReadingsPerSecond + results[4].Load.ReadingsPerSecond) / 2;
        var unbatched = results[1].Load.ReadingsPerSecond;
        Console.WriteLine(F($"baseline (batched, sampling 0): {batched:F0} readings/s, the mean of its two runs ({results[0].Load.ReadingsPerSecond:F0} first, {results[4].Load.ReadingsPerSecond:F0} last)"));
        Console.WriteLine(F($"batching: batched/unbatched = {batched / unbatched:F2}x (target >= 5x)"));
        Console.WriteLine(F($"tracing cost: sampling 0.01 = {results[2].Load.ReadingsPerSecond / batched:P1} and sampling 1.0 = {results[3].Load.ReadingsPerSecond / batched:P1} of sampling 0 throughput"));
        Console.WriteLine(F($"full path: {batched:F0} readings/s = {batched / raw64:P1} of raw batched {s.Detector} ({raw64:F0} windows/s at batch {DefaultBatch}) (target >= 50%)"));
    }
}
