namespace Vigil.Telemetry.Tests.Otlp;

/// <summary>What the tests need to see of exported spans and metrics.</summary>
public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name,
    IReadOnlyDictionary<string, object> Attributes, IReadOnlyList<(string TraceId, string SpanId)> Links,
    IReadOnlyDictionary<string, object> Resource);

public sealed record ReceivedHistogramPoint(string Metric, string Unit, ulong Count, double Sum, IReadOnlyDictionary<string, object> Attributes);

public sealed record ReceivedSumPoint(string Metric, double Value, IReadOnlyDictionary<string, object> Attributes);
