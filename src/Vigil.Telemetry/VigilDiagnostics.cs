using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vigil.Telemetry;

/// <summary>
/// Vigil's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, named once here. Instruments follow the
/// OpenTelemetry semantic-convention style: dotted lower-case names, durations in milliseconds (<c>ms</c>) throughout.
/// </summary>
public static class VigilDiagnostics
{
    public const string Name = "Vigil";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>One TorchSharp forward pass of a model grain's batch.</summary>
    public static readonly Histogram<double> InferenceDuration =
        Meter.CreateHistogram<double>("vigil.inference.duration", "ms", "Forward-pass time of one model batch");

    /// <summary>Time a scoring request waited in a model grain's queue before its batch started.</summary>
    public static readonly Histogram<double> InferenceQueueWait =
        Meter.CreateHistogram<double>("vigil.inference.queue_wait", "ms", "Time a request waited for its batch");

    /// <summary>
    /// A constant, because listeners and views are called while this class is still being initialised (an instrument
    /// is published as it is created), when <see cref="InferenceBatchSize"/> itself is still null.
    /// </summary>
    public const string InferenceBatchSizeName = "vigil.inference.batch_size";

    public static readonly Histogram<int> InferenceBatchSize =
        Meter.CreateHistogram<int>(InferenceBatchSizeName, "{request}", "Requests served by one forward pass");

    /// <summary>From the reading's arrival at the API to its score being known.</summary>
    public static readonly Histogram<double> IngestToScore =
        Meter.CreateHistogram<double>("vigil.ingest.to_score", "ms", "Latency from ingest to score");

    public static readonly Counter<long> ReadingsAccepted =
        Meter.CreateCounter<long>("vigil.readings.accepted", "{reading}", "Readings accepted into a device window");

    /// <summary>Tagged with <c>reason</c>.</summary>
    public static readonly Counter<long> ReadingsRejected =
        Meter.CreateCounter<long>("vigil.readings.rejected", "{reading}", "Readings refused, by reason");

    public static readonly Counter<long> FramesReceived =
        Meter.CreateCounter<long>("vigil.frames.received", "{frame}", "Camera frames accepted");

    public static readonly Counter<long> AlertsRaised =
        Meter.CreateCounter<long>("vigil.alerts.raised", "{alert}", "Alerts raised, by kind");

    public static readonly UpDownCounter<long> ActiveDevices =
        Meter.CreateUpDownCounter<long>("vigil.devices.active", "{grain}", "Device and camera grains activated on this silo");

    public static readonly UpDownCounter<long> ModelQueueDepth =
        Meter.CreateUpDownCounter<long>("vigil.model.queue_depth", "{request}", "Scoring requests queued in model grains");

    /// <summary>Bucket boundaries (ms) for the latency histograms: sub-millisecond forward passes up to multi-second stalls.</summary>
    public static readonly double[] MillisecondBuckets = [0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    public static readonly double[] BatchSizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    /// <summary>Span and metric attribute names, shared by every emitter.</summary>
    public static class Tags
    {
        public const string Home = "vigil.home";
        public const string Device = "vigil.device";
        public const string Detector = "vigil.detector";
        public const string Version = "vigil.detector.version";
        public const string Score = "vigil.score";
        public const string Alert = "vigil.alert";
        public const string BatchSize = "vigil.batch.size";
        public const string QueueWaitMs = "vigil.batch.queue_wait_ms";
        public const string ForwardMs = "vigil.batch.forward_ms";
        public const string ComputeDevice = "vigil.compute.device";
        public const string Reason = "reason";
        public const string Kind = "kind";
    }
}
