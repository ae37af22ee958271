using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using Vigil.Simulation;

namespace Vigil.Cli.Commands.ClusterBench;

/// <summary>What one measured phase of a variant achieved.</summary>
internal sealed record LoadResult(double Seconds, long Readings, long Requests, long FailedRequests, double P50Ms, double P99Ms, string? FirstFailure,
    TimeSpan ProcessCpu)
{
    public double ReadingsPerSecond => Readings / Seconds;

    /// <summary>CPU of the whole process (silo and load generator) per acknowledged reading: robust to other load on the machine.</summary>
    public double CpuMicrosecondsPerReading => Readings == 0 ? double.NaN : ProcessCpu.TotalMicroseconds / Readings;
}

/// <summary>
/// Closed-loop load through the real HTTP API: the devices are split into <c>concurrency</c> groups, each group one
/// loop that sends an NDJSON bulk request with the next <c>readingsPerRequest</c> readings of every device in the group
/// (a home hub that buffers a few seconds of 1 Hz readings per post) and waits for the answer before sending the next. A device's readings therefore arrive in order, at most <c>concurrency</c> requests
/// are in flight, and the load is as fast as the silo answers. The silo answers 202 once every reading of the
/// request is stored and its window scored, so a request's round trip is its ingest-to-score latency.
/// </summary>
internal sealed class ClosedLoopLoad
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Lines per prefill request: far below the API's bulk limits.</summary>
    private const int PrefillLines = 20_000;

    private readonly HttpClient _http;
    private readonly Uri _readings;
    private readonly SimulatedDevice[][] _groups;
    private readonly int _readingsPerRequest;
    // Filled once, then only read concurrently: each loop advances its own devices' counters.
    private readonly Dictionary<SimulatedDevice, StrongBox<long>> _nextTick = [];

    public ClosedLoopLoad(HttpClient http, Uri silo, IReadOnlyList<SimulatedDevice> devices, int concurrency, int readingsPerRequest)
    {
        _http = http;
        _readingsPerRequest = readingsPerRequest;
        _readings = new Uri(silo, "v1/readings");
        _groups = devices.Chunk((devices.Count + concurrency - 1) / concurrency).ToArray();
        foreach (var device in devices) _nextTick[device] = new StrongBox<long>(0);
    }

    public int Groups => _groups.Length;

    /// <summary>Sends <paramref name="readingsPerDevice"/> readings of every device (untimed), so windows are full before the measurement.</summary>
    public async Task PrefillAsync(int readingsPerDevice, CancellationToken ct)
    {
        var devicesPerRequest = Math.Max(1, PrefillLines / readingsPerDevice);
        await Parallel.ForEachAsync(_groups, new ParallelOptions { MaxDegreeOfParallelism = _groups.Length, CancellationToken = ct }, async (group, token) =>
        {
            var body = new StringBuilder();
            foreach (var chunk in group.Chunk(devicesPerRequest))
            {
                body.Clear();
                for (var r = 0; r < readingsPerDevice; r++)
                    foreach (var device in chunk)
                        AppendNext(body, device);
                var (ok, status, detail) = await PostAsync(body, token);
                if (!ok) throw new CliUserException($"prefilling the device windows failed: HTTP {status} {detail}");
            }
        });
    }

    /// <summary>Runs the loops for <paramref name="warmup"/> + <paramref name="measure"/>; counts what completed within the measurement.</summary>
    public async Task<LoadResult> RunAsync(TimeSpan warmup, TimeSpan measure, CancellationToken ct)
    {
        var latency = new LatencyRecorder();
        long readings = 0, requests = 0, failed = 0;
        string? firstFailure = null;
        var clock = Stopwatch.StartNew();
        var start = warmup;
        var end = warmup + measure;
        // Process CPU over exactly the measured interval, sampled by a timer rather than by the loops.
        var cpu = Task.Run(async () =>
        {
            await Task.Delay(warmup, ct);
            var before = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(measure, ct);
            return Process.GetCurrentProcess().TotalProcessorTime - before;
        }, ct);

        await Task.WhenAll(_groups.Select(group => Task.Run(async () =>
        {
            var body = new StringBuilder(group.Length * _readingsPerRequest * 96);
            while (clock.Elapsed < end && !ct.IsCancellationRequested)
            {
                body.Clear();
                for (var r = 0; r < _readingsPerRequest; r++)
                    foreach (var device in group) AppendNext(body, device);
                var sent = clock.Elapsed;
                var (ok, status, detail) = await PostAsync(body, ct);
                var done = clock.Elapsed;
                if (sent < start || done > end) continue;
                Interlocked.Increment(ref requests);
                if (ok)
                {
                    Interlocked.Add(ref readings, group.Length * _readingsPerRequest);
                    latency.Record((done - sent).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, $"HTTP {status} {detail}", null);
                }
            }
        }, ct)));

        return new LoadResult(measure.TotalSeconds, readings, requests, failed, latency.Percentile(50), latency.Percentile(99), firstFailure, await cpu);
    }

    private void AppendNext(StringBuilder body, SimulatedDevice device)
    {
        var tick = _nextTick[device].Value++;
        body.Append("{\"home\":\"").Append(device.HomeId).Append("\",\"device\":\"").Append(device.DeviceId)
            .Append("\",\"t\":\"").Append(Epoch.AddSeconds(tick).ToString("O", CultureInfo.InvariantCulture)).Append("\",\"v\":")
            .Append(device.Signal.ValueAt(tick).ToString("R", CultureInfo.InvariantCulture)).Append("}\n");
    }

    private async Task<(bool Ok, int Status, string Detail)> PostAsync(StringBuilder body, CancellationToken ct)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        try
        {
            using var response = await _http.PostAsync(_readings, content, ct);
            if (response.IsSuccessStatusCode) return (true, (int)response.StatusCode, "");
            var detail = await response.Content.ReadAsStringAsync(ct);
            return (false, (int)response.StatusCode, detail.Length > 300 ? detail[..300] : detail);
        }
        catch (HttpRequestException e)
        {
            return (false, 0, e.Message);
        }
    }
}
