namespace Vigil.Simulation;

/// <summary>How the load is sent: request shape, concurrency, retries, credentials.</summary>
public sealed record LoadOptions
{
    /// <summary>Devices per NDJSON request; each group of devices is one sequential stream of requests, so a device's readings arrive in order.</summary>
    public int DevicesPerRequest { get; init; } = 500;
    /// <summary>
    /// True: each group of devices posts at its own offset within the tick (group i of n at i/n of it), and each camera
    /// at its own offset within the frame interval, as independent home hubs and cameras do. False: every group posts
    /// in the same instant, a synchronized burst once per tick, and every camera sends in the same instant too.
    /// </summary>
    public bool SpreadPosts { get; init; } = true;
    /// <summary>
    /// Seconds of warm-up from the start of the run whose requests are left out of the latency percentiles: the first
    /// seconds activate every device grain and fill the windows, which says nothing about the steady state.
    /// </summary>
    public double MeasureAfterSeconds { get; init; }
    /// <summary>Camera frames in flight at once.</summary>
    public int FrameConcurrency { get; init; } = 16;
    /// <summary>Attempts for a request answered 429/503 (honouring Retry-After) before its readings count as dropped.</summary>
    public int MaxAttempts { get; init; } = 5;
    /// <summary>Seconds after an anomaly ends in which an alert still counts as detecting it.</summary>
    public double DetectionGraceSeconds { get; init; } = 30;
    /// <summary>Sent as X-Vigil-Key when the cluster requires keys (an operator key: the load spans homes).</summary>
    public string? ApiKey { get; init; }
    /// <summary>
    /// Send the readings and frames as fast as the cluster takes them rather than in real time. Their timestamps are
    /// still one tick (one frame interval) apart and end now, so hours of a fleet's data pass in minutes: what rates
    /// over long runs (false alerts per device per day) need. Frames carry their time as <c>?t=</c>; sensors and
    /// cameras each go at their own pace. No latency is measured.
    /// </summary>
    public bool FastForward { get; init; }
    /// <summary>
    /// Ticks of readings per request in <see cref="FastForward"/>; null: as many as keep a request at about 2,048
    /// readings, half a model queue (<c>Vigil:Batching:MaxQueueLength</c>, 4,096), so requests are not refused as
    /// overload. A partly applied request is resent for the devices not applied only (the others' readings, older
    /// than the window, would now be refused as late), so larger requests work too.
    /// </summary>
    public int? FastForwardTicks { get; init; }
    /// <summary>
    /// Declare each sensor's kind (<c>PUT /v1/homes/{home}/devices/{device}</c>, <c>{"kind": "power"}</c>) before its
    /// first reading, so its threshold starts from, and feeds, the fleet prior of its kind. False: devices of no kind,
    /// each starting from the score's promise alone.
    /// </summary>
    public bool DeclareKinds { get; init; } = true;
}

/// <summary>What a run measured.</summary>
public sealed record LoadReport(
    double ElapsedSeconds,
    long ReadingsSent,
    long ReadingsAccepted,
    long FramesSent,
    long FramesAccepted,
    long Dropped,
    double P50Ms,
    double P99Ms,
    int Alerts,
    DetectionQuality SensorQuality,
    DetectionQuality CameraQuality,
    IReadOnlyDictionary<int, long> Statuses)
{
    /// <summary>Requests whose round trip is in the percentiles (accepted after the warm-up).</summary>
    public long LatencySamples { get; init; }

    /// <summary>The sensors' quality per sensor kind (lower-case kind name), for every kind with an anomaly or an alert.</summary>
    public IReadOnlyDictionary<string, DetectionQuality> SensorQualityByKind { get; init; } = new Dictionary<string, DetectionQuality>();

    /// <summary>Sensors and cameras together.</summary>
    public DetectionQuality Quality => SensorQuality + CameraQuality;

    public double ReadingsPerSecond => ReadingsAccepted / ElapsedSeconds;
    public double FramesPerSecond => FramesAccepted / ElapsedSeconds;

    /// <summary>The one line scripts read (always last).</summary>
    public string SummaryLine() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"readings/s={ReadingsPerSecond:F1} frames/s={FramesPerSecond:F1} p50_ms={P50Ms:F1} p99_ms={P99Ms:F1} dropped={Dropped} alerts={Alerts} recall={Quality.Recall:F2} precision={Quality.Precision:F2}");
}

/// <summary>Progress once a second while the load runs.</summary>
public sealed record LoadProgress(double ElapsedSeconds, double DurationSeconds, long ReadingsAccepted, long FramesAccepted, long Dropped, double LagSeconds);
