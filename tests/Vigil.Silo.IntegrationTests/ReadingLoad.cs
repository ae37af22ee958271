using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Vigil.Silo.IntegrationTests;

/// <summary>
/// Closed-loop load through the silos' HTTP API: one sequential sender per device (so each device's timestamps only
/// increase), requests spread round-robin over the silos still running. An answer other than 202 is not an
/// acknowledgement: the sender retries the very same readings (same timestamps and values) on the next silo until
/// one acknowledges them, so a request the cluster applied but could not answer comes back as duplicates, never as
/// a gap. What was acknowledged is recorded per device for the checks afterwards.
/// </summary>
internal sealed class ReadingLoad : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private readonly IReadOnlyList<SiloProcess> _silos;
    private readonly int _perRequest;
    private readonly TimeSpan _pace;
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly List<Task> _senders = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly Stopwatch _running = new();
    private long _attempts, _acked, _unexpectedSuccess;
    private volatile ResumeWatch[] _watches = [];

    public ReadingLoad(IReadOnlyList<SiloProcess> silos, int homes, int devicesPerHome, int perRequest, TimeSpan pace)
    {
        _silos = silos;
        _perRequest = perRequest;
        _pace = pace;
        Devices = [.. Enumerable.Range(0, homes * devicesPerHome).Select(i => new DeviceLoad(i, $"home-{i / devicesPerHome}", $"dev-{i % devicesPerHome}"))];
    }

    public IReadOnlyList<DeviceLoad> Devices { get; }

    public IEnumerable<string> Homes => Devices.Select(d => d.Home).Distinct();

    public long Attempts => Interlocked.Read(ref _attempts);

    /// <summary>Requests answered 202.</summary>
    public long AckedRequests => Interlocked.Read(ref _acked);

    public long AckedReadings => Devices.Sum(d => (long)d.Acked);

    /// <summary>2xx answers other than 202: the API promises 202 for accepted readings.</summary>
    public long UnexpectedSuccess => Interlocked.Read(ref _unexpectedSuccess);

    /// <summary>Failed attempts by silo and what came back (<c>S2:503</c>, <c>S1:ConnectionError</c>); each was retried.</summary>
    public IReadOnlyDictionary<string, int> Failures => _failures;

    public int FailedAttempts => _failures.Values.Sum();

    /// <summary>The value of a device's reading <paramref name="i"/>: a wave, a little deterministic noise and a burst
    /// every 60 readings (at a different phase per device) so that alerts are raised and cleared during the run.</summary>
    public static float Value(int device, int i)
    {
        var noise = ((i * 7919 + device * 104729) % 1000) / 1000f - 0.5f;
        var burst = (i + 7 * device) % 60 is >= 50 and < 54 ? 25f : 0f;
        return MathF.Round(20 + device % 7 + 2 * MathF.Sin(i / 6f) + 0.3f * noise + burst, 3);
    }

    public static DateTimeOffset TimeOf(int i) => Start.AddMinutes(i);

    /// <summary>The first <paramref name="count"/> readings of every device, one request each; each must be acknowledged.</summary>
    public async Task PrefillAsync(int count)
    {
        await Parallel.ForEachAsync(Devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (device, ct) =>
        {
            var silo = _silos[device.Index % _silos.Count];
            using var response = await silo.Client.PostAsync(device.ReadingsUrl, Body(device.Index, 0, count), ct);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Prefill of {device.Key} through silo {silo.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }

            device.Acked = count;
        });
    }

    public void Begin()
    {
        _running.Start();
        foreach (var device in Devices)
        {
            _senders.Add(Task.Run(() => SendAsync(device)));
        }
    }

    /// <summary>Stops sending new readings; each sender first gets its request in flight acknowledged.</summary>
    public async Task EndAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
        _running.Stop();
    }

    /// <summary>Acknowledged requests per second of load (prefill excluded).</summary>
    public double AckedPerSecond => _running.Elapsed.TotalSeconds > 0 ? AckedRequests / _running.Elapsed.TotalSeconds : 0;

    /// <summary>A test that failed before <see cref="EndAsync"/>: senders give up instead of retrying against a cluster
    /// that is being torn down.</summary>
    public async ValueTask DisposeAsync()
    {
        await _abandon.CancelAsync();
        await _stop.CancelAsync();
        await Task.WhenAll(_senders.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
        _abandon.Dispose();
    }

    /// <summary>From now on, records per device the first acknowledged request whose newest reading was also scored.</summary>
    public ResumeWatch WatchResume(IEnumerable<DeviceLoad> devices)
    {
        var watch = new ResumeWatch([.. devices]);
        _watches = [.. _watches, watch];
        return watch;
    }

    private async Task SendAsync(DeviceLoad device)
    {
        var next = device.Index; // spreads the senders' first requests over the silos
        while (!_stop.IsCancellationRequested)
        {
            var from = device.Acked;
            var retryUntil = DateTime.UtcNow.AddSeconds(90);
            while (true)
            {
                var silo = NextSilo(ref next);
                Interlocked.Increment(ref _attempts);
                string? failure;
                try
                {
                    using var response = await silo.Client.PostAsync(device.ReadingsUrl, Body(device.Index, from, _perRequest));
                    failure = response.StatusCode == HttpStatusCode.Accepted ? null : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                    if (response.IsSuccessStatusCode && failure is not null)
                    {
                        Interlocked.Increment(ref _unexpectedSuccess);
                    }
                }
                catch (HttpRequestException e)
                {
                    failure = e.HttpRequestError.ToString();
                }
                catch (TaskCanceledException)
                {
                    failure = "client timeout";
                }

                if (failure is null)
                {
                    device.Acked = from + _perRequest;
                    Interlocked.Increment(ref _acked);
                    foreach (var watch in _watches)
                    {
                        await watch.CheckAsync(device, silo, TimeOf(device.Acked - 1));
                    }

                    break;
                }

                _failures.AddOrUpdate($"{silo.Name}:{failure}", 1, (_, n) => n + 1);
                if (_abandon.IsCancellationRequested)
                {
                    return;
                }

                if (DateTime.UtcNow > retryUntil)
                {
                    throw new TimeoutException($"{device.Key}: readings {from}..{from + _perRequest - 1} were not acknowledged within 90 s of retries (last: {failure}).");
                }

                await Task.Delay(200);
            }

            await Task.Delay(_pace);
        }
    }

    private SiloProcess NextSilo(ref int next)
    {
        for (var i = 0; i < _silos.Count; i++)
        {
            var silo = _silos[(next++ & int.MaxValue) % _silos.Count];
            if (!silo.HasExited)
            {
                return silo;
            }
        }

        return _silos[0];
    }

    public static StringContent Body(int device, int from, int count)
    {
        var json = new StringBuilder("{\"readings\":[");
        for (var i = from; i < from + count; i++)
        {
            json.Append(i == from ? "" : ",")
                .Append(CultureInfo.InvariantCulture, $"{{\"t\":\"{TimeOf(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{Value(device, i).ToString(CultureInfo.InvariantCulture)}}}");
        }

        return new StringContent(json.Append("]}").ToString(), Encoding.UTF8, "application/json");
    }

    /// <summary>One simulated sensor and what the API acknowledged of it.</summary>
    internal sealed class DeviceLoad(int index, string home, string id)
    {
        private int _acked;

        public int Index { get; } = index;

        public string Home { get; } = home;

        public string Id { get; } = id;

        public string Key => $"{Home}/{Id}";

        public string ReadingsUrl => $"/v1/homes/{Home}/devices/{Id}/readings";

        public string StateUrl => $"/v1/homes/{Home}/devices/{Id}";

        /// <summary>Readings 0..Acked-1 were acknowledged (202).</summary>
        public int Acked { get => Volatile.Read(ref _acked); set => Volatile.Write(ref _acked, value); }
    }

    /// <summary>
    /// Time from an event (a kill, a restart) until each watched device had a request acknowledged whose newest reading
    /// the device also scored: ingestion and detection both working again.
    /// </summary>
    internal sealed class ResumeWatch(IReadOnlyList<DeviceLoad> devices)
    {
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private readonly ConcurrentDictionary<string, TimeSpan> _resumed = new();
        private readonly HashSet<string> _watched = [.. devices.Select(d => d.Key)];

        public int Watched => _watched.Count;

        public IReadOnlyDictionary<string, TimeSpan> Resumed => _resumed;

        public bool AllResumed => _resumed.Count == _watched.Count;

        public TimeSpan? Slowest => AllResumed && _resumed.Count > 0 ? _resumed.Values.Max() : null;

        public TimeSpan? Median => _resumed.Count == 0 ? null : _resumed.Values.Order().ElementAt(_resumed.Count / 2);

        public async Task CheckAsync(DeviceLoad device, SiloProcess via, DateTimeOffset newest)
        {
            if (!_watched.Contains(device.Key) || _resumed.ContainsKey(device.Key))
            {
                return;
            }

            try
            {
                var state = await via.Client.GetFromJsonAsync<JsonElement>(device.StateUrl);
                var scores = state.GetProperty("lastScores");
                if (scores.GetArrayLength() > 0 && scores[scores.GetArrayLength() - 1].GetProperty("t").GetDateTimeOffset() == newest)
                {
                    _resumed.TryAdd(device.Key, _since.Elapsed);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // The next acknowledged request checks again.
            }
        }
    }
}
