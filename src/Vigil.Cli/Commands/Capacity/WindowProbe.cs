using System.Diagnostics;
using Vigil.Simulation;

namespace Vigil.Cli.Commands.Capacity;

/// <summary>
/// Sits between <see cref="LoadRunner"/> and the network and counts only what completes inside the measured window:
/// readings accepted (NDJSON lines of a 2xx bulk request), frames accepted, and each accepted bulk request's round
/// trip (the silo answers after the readings are scored, so it is ingest-to-score as <c>vigil simulate</c> reports it).
/// The warm-up before the window and the alert read-back after it are left out.
/// </summary>
public sealed class WindowProbe : DelegatingHandler
{
    private LatencyRecorder _latency = new();
    private long _readings, _frames, _refused;
    private volatile bool _open;

    public WindowProbe(HttpMessageHandler inner) : base(inner) { }

    public void Open()
    {
        _latency = new LatencyRecorder();
        Interlocked.Exchange(ref _readings, 0);
        Interlocked.Exchange(ref _frames, 0);
        Interlocked.Exchange(ref _refused, 0);
        _open = true;
    }

    public WindowCounts Close()
    {
        _open = false;
        return new WindowCounts(Interlocked.Read(ref _readings), Interlocked.Read(ref _frames), Interlocked.Read(ref _refused),
            _latency.Percentile(50), _latency.Percentile(99), _latency.Count);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        bool openAtStart = _open;
        var response = await base.SendAsync(request, cancellationToken);
        // A request counts when it both started and ended inside the window.
        if (!openAtStart || !_open || request.Method != HttpMethod.Post || request.RequestUri is null) return response;

        var path = request.RequestUri.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString;
        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _refused);
        }
        else if (path.EndsWith("/frames", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _frames);
        }
        else if (path.EndsWith("v1/readings", StringComparison.Ordinal) && request.Content is not null)
        {
            _latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            // LoadRunner sends a ByteArrayContent: reading it again costs a copy, not a re-send.
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Interlocked.Add(ref _readings, body.AsSpan().Count((byte)'\n'));
        }
        return response;
    }
}

/// <summary>What completed inside the measured window.</summary>
public sealed record WindowCounts(long Readings, long Frames, long RefusedRequests, double P50Ms, double P99Ms, long LatencySamples);
