using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Vigil.Simulation;

/// <summary>
/// Sends a fleet's readings and frames through a Vigil cluster's real HTTP API in real time, then reads back the
/// alerts and measures them against the injected anomalies.
/// </summary>
/// <remarks>
/// Devices are split into groups of <see cref="LoadOptions.DevicesPerRequest"/>; each group is one loop sending one
/// NDJSON request per tick (several ticks when it fell behind), waiting for the answer before the next. So a device's
/// readings always arrive in order (a device grain ignores readings older than its last) and concurrency is bounded
/// by the number of groups. Latency is the request's round trip: the silo answers 202 after the readings' windows
/// are scored, so it is ingest-to-score as a client sees it.
/// </remarks>
public sealed class LoadRunner(HttpClient http, HomeFleet fleet, FrameMosaics frames, LoadOptions options)
{
    private readonly LatencyRecorder _latency = new();
    private readonly Dictionary<int, long> _statuses = [];
    private long _readingsSent, _readingsAccepted, _framesSent, _framesAccepted, _dropped;
    private double _lagSeconds;

    public async Task<LoadReport> RunAsync(IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var spec = fleet.Spec;
        // Before the run's clock starts: the declarations are set-up, not part of the paced load or its warm-up.
        if (options.DeclareKinds)
            await DeclareKindsAsync(cancellationToken);
        // Fast-forward: the data's time ends now, so no reading lies in the future.
        var start = DateTimeOffset.UtcNow - (options.FastForward ? TimeSpan.FromSeconds(spec.DurationSeconds) : TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var groups = fleet.Devices.Chunk(Math.Max(1, options.DevicesPerRequest)).ToArray();
        var loops = groups
            .Select((group, i) =>
            {
                double phase = options.SpreadPosts ? (double)i / groups.Length / spec.Rate : 0;
                return Task.Run(() => ReadingsLoopAsync(group, phase, start, clock, stop.Token), stop.Token);
            })
            .ToList();
        if (spec.FrameIntervalSeconds > 0 && fleet.Cameras.Count > 0)
            loops.Add(Task.Run(() => FramesLoopAsync(start, clock, stop.Token), stop.Token));

        var all = Task.WhenAll(loops);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(1000, cancellationToken));
            progress?.Report(new LoadProgress(clock.Elapsed.TotalSeconds, spec.DurationSeconds,
                Interlocked.Read(ref _readingsAccepted), Interlocked.Read(ref _framesAccepted), Interlocked.Read(ref _dropped), Volatile.Read(ref _lagSeconds)));
        }
        await all;
        var elapsed = clock.Elapsed.TotalSeconds;

        var alerts = await ReadAlertsAsync(start, cancellationToken);
        var cameras = fleet.Cameras.Select(c => (c.HomeId, c.CameraId)).ToHashSet();
        var kinds = fleet.Devices.ToDictionary(d => (d.HomeId, d.DeviceId), d => d.Signal.Kind.Name());
        var (sensorQuality, cameraQuality, byKind) = DetectionMatcher.MatchBySource(fleet.Anomalies, alerts, options.DetectionGraceSeconds,
            (home, id) => cameras.Contains((home, id)), (home, id) => kinds.GetValueOrDefault((home, id)));
        lock (_statuses)
        {
            return new LoadReport(elapsed, _readingsSent, _readingsAccepted, _framesSent, _framesAccepted, _dropped,
                _latency.Percentile(50), _latency.Percentile(99), alerts.Count, sensorQuality, cameraQuality, new Dictionary<int, long>(_statuses))
            {
                LatencySamples = _latency.Count,
                SensorQualityByKind = byKind,
            };
        }
    }

    /// <summary>Every sensor's kind, 16 declarations in flight; a refused one stops the run (the cluster is not one this
    /// simulator can talk to), as the readings would be refused too.</summary>
    private async Task DeclareKindsAsync(CancellationToken ct)
    {
        await Parallel.ForEachAsync(fleet.Devices, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (device, token) =>
        {
            var ok = await SendAsync(() => KindDeclaration.For(device), recordLatency: false, token);
            if (!ok)
                throw new InvalidOperationException($"the cluster refused the kind of {device.HomeId}/{device.DeviceId} (see the HTTP statuses); is it a Vigil silo of this version?");
        });
    }

    /// <param name="phase">Seconds into each tick at which this group posts (its readings keep the tick's timestamp).</param>
    private async Task ReadingsLoopAsync(SimulatedDevice[] group, double phase, DateTimeOffset start, Stopwatch clock, CancellationToken ct)
    {
        var spec = fleet.Spec;
        double step = 1 / spec.Rate;
        long ticks = (long)Math.Floor(spec.DurationSeconds * spec.Rate);
        var body = new StringBuilder(group.Length * 96);
        long next = 0;
        var fastForwardTicks = Math.Max(1, options.FastForwardTicks ?? 2048 / group.Length);
        while (next < ticks && !ct.IsCancellationRequested)
        {
            long last;
            if (options.FastForward)
            {
                last = Math.Min(ticks - 1, next + fastForwardTicks - 1);
            }
            else
            {
                double due = next * step + phase;
                double wait = due - clock.Elapsed.TotalSeconds;
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
                // Everything due by now goes in one request: a loop that fell behind catches up with bigger requests.
                last = Math.Min(ticks - 1, (long)Math.Floor((clock.Elapsed.TotalSeconds - phase) / step));
                last = Math.Max(last, next);
                Volatile.Write(ref _lagSeconds, Math.Max(0, clock.Elapsed.TotalSeconds - due));
            }

            // The devices whose readings for ticks from..last are not stored yet: a partly applied answer narrows it.
            var from = next;
            next = last + 1;
            var pending = group;
            var tickCount = last - from + 1;
            var content = Body(pending, from, last, start, step, body);
            Interlocked.Add(ref _readingsSent, group.Length * tickCount);
            var ok = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "v1/readings") { Content = new ByteArrayContent(content) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                return request;
            }, recordLatency: !options.FastForward && clock.Elapsed.TotalSeconds >= options.MeasureAfterSeconds, ct,
            partlyApplied: notApplied =>
            {
                // Resend only these devices' lines: the others are stored, and their readings older than the window
                // would now be refused as late (400).
                var remaining = pending.Where(d => notApplied.Contains($"{d.HomeId}/{d.DeviceId}")).ToArray();
                // Naming none of this request's devices contradicts "partly": nothing is known stored, so all goes again.
                if (remaining.Length == 0) return true;
                Interlocked.Add(ref _readingsAccepted, (pending.Length - remaining.Length) * tickCount);
                pending = remaining;
                content = Body(pending, from, last, start, step, body);
                return pending.Length > 0;
            });
            Interlocked.Add(ref ok ? ref _readingsAccepted : ref _dropped, pending.Length * tickCount);
        }
    }

    /// <summary>One NDJSON body: every device's reading at every tick from <paramref name="first"/> to <paramref name="last"/>, tick by tick.</summary>
    private static byte[] Body(SimulatedDevice[] devices, long first, long last, DateTimeOffset start, double step, StringBuilder body)
    {
        body.Clear();
        for (long tick = first; tick <= last; tick++)
        {
            double seconds = tick * step;
            var t = start.AddSeconds(seconds).ToString("O", CultureInfo.InvariantCulture);
            foreach (var device in devices)
            {
                body.Append("{\"home\":\"").Append(device.HomeId).Append("\",\"device\":\"").Append(device.DeviceId)
                    .Append("\",\"t\":\"").Append(t).Append("\",\"v\":")
                    .Append(device.Signal.ValueAt(seconds).ToString("R", CultureInfo.InvariantCulture)).Append("}\n");
            }
        }
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    private async Task FramesLoopAsync(DateTimeOffset start, Stopwatch clock, CancellationToken ct)
    {
        var spec = fleet.Spec;
        var random = new Random(spec.Seed);
        // Each camera its own scene, the same for a seed whatever the other cameras do.
        var scenes = spec.FixedCameraScenes
            ? fleet.Cameras.Select((_, c) => frames.NewScene(new Random(unchecked(spec.Seed * 1_000_003 + c)))).ToArray()
            : null;
        using var gate = new SemaphoreSlim(options.FrameConcurrency);
        var inFlight = new List<Task>();
        for (double due = 0; due < spec.DurationSeconds && !ct.IsCancellationRequested; due += spec.FrameIntervalSeconds)
        {
            double wait = due - clock.Elapsed.TotalSeconds;
            if (!options.FastForward && wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait), ct);
            // Fast-forward: each frame carries its data time (?t=), and a camera's frames must arrive in order, so one
            // interval's frames are all answered before the next interval's are sent.
            var stamp = options.FastForward ? "&t=" + Uri.EscapeDataString(start.AddSeconds(due).ToString("O", CultureInfo.InvariantCulture)) : "";
            for (var c = 0; c < fleet.Cameras.Count; c++)
            {
                var camera = fleet.Cameras[c];
                if (options.SpreadPosts && !options.FastForward)
                {
                    // Independent cameras: camera c of n sends at c/n of the interval, not all in the same instant.
                    double offset = due + (double)c / fleet.Cameras.Count * spec.FrameIntervalSeconds - clock.Elapsed.TotalSeconds;
                    if (offset > 0.001) await Task.Delay(TimeSpan.FromSeconds(offset), ct);
                }
                bool anomalous = camera.Anomaly?.Covers(due) == true;
                var frame = scenes is null ? frames.Frame(random, anomalous) : scenes[c].Frame(random, anomalous);
                var path = $"v1/homes/{camera.HomeId}/cameras/{camera.CameraId}/frames?width={FrameMosaics.Size}&height={FrameMosaics.Size}{stamp}";
                await gate.WaitAsync(ct);
                Interlocked.Increment(ref _framesSent);
                inFlight.Add(Task.Run(async () =>
                {
                    try
                    {
                        var ok = await SendAsync(() =>
                        {
                            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(frame) };
                            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                            return request;
                        }, recordLatency: false, ct);
                        if (ok) Interlocked.Increment(ref _framesAccepted); else Interlocked.Increment(ref _dropped);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }, ct));
            }
            if (options.FastForward) await Task.WhenAll(inFlight);
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
    }

    /// <summary>
    /// True when the API accepted (2xx); retries 429/503 as told by Retry-After, up to the attempt limit. When such an
    /// answer says the request was partly applied (its problem body lists <c>notApplied</c> grain keys),
    /// <paramref name="partlyApplied"/> is told which before the retry, so the next request built carries only those;
    /// it returns false when nothing is left to send.
    /// </summary>
    private async Task<bool> SendAsync(Func<HttpRequestMessage> build, bool recordLatency, CancellationToken ct,
        Func<IReadOnlySet<string>, bool>? partlyApplied = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var request = build();
            if (options.ApiKey is not null) request.Headers.Add("X-Vigil-Key", options.ApiKey);
            var sent = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException)
            {
                Count(0);
                if (attempt >= options.MaxAttempts) return false;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
                continue;
            }
            using (response)
            {
                Count((int)response.StatusCode);
                if (response.IsSuccessStatusCode)
                {
                    if (recordLatency) _latency.Record(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    return true;
                }
                bool retryable = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable;
                if (retryable && partlyApplied is not null && await NotAppliedAsync(response, ct) is { } notApplied && !partlyApplied(notApplied))
                    return true;
                if (!retryable || attempt >= options.MaxAttempts) return false;
                var after = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200 * attempt);
                await Task.Delay(after > TimeSpan.FromSeconds(5) ? TimeSpan.FromSeconds(5) : after, ct);
            }
        }
    }

    /// <summary>The grain keys a "Partially applied" problem body lists as not stored; null for any other answer.</summary>
    private static async Task<IReadOnlySet<string>?> NotAppliedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return null;
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
        if (!json.RootElement.TryGetProperty("notApplied", out var keys) || keys.ValueKind != JsonValueKind.Array) return null;
        return keys.EnumerateArray().Select(k => k.GetString() ?? "").ToHashSet();
    }

    private void Count(int status)
    {
        lock (_statuses) _statuses[status] = _statuses.GetValueOrDefault(status) + 1;
    }

    private async Task<List<ObservedAlert>> ReadAlertsAsync(DateTimeOffset start, CancellationToken ct)
    {
        var alerts = new List<ObservedAlert>();
        var homes = fleet.Devices.Select(d => d.HomeId).Concat(fleet.Cameras.Select(c => c.HomeId)).Distinct().ToList();
        await Parallel.ForEachAsync(homes, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (home, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/homes/{home}/alerts?max=500");
            if (options.ApiKey is not null) request.Headers.Add("X-Vigil-Key", options.ApiKey);
            using var response = await http.SendAsync(request, token);
            if (!response.IsSuccessStatusCode) return;
            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(token));
            foreach (var alert in json.RootElement.EnumerateArray())
            {
                // Fused home alerts restate sensor/camera alerts already counted.
                if (alert.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "Home") continue;
                if (alert.TryGetProperty("kind", out kind) && kind.ValueKind == JsonValueKind.Number && kind.GetInt32() == 2) continue;
                var source = alert.GetProperty("source").GetString()!;
                var raised = alert.GetProperty("raisedAt").GetDateTimeOffset();
                lock (alerts) alerts.Add(new ObservedAlert(home, source, (raised - start).TotalSeconds));
            }
        });
        return alerts;
    }
}
