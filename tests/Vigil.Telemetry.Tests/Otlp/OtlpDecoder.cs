namespace Vigil.Telemetry.Tests.Otlp;

/// <summary>
/// Decodes OTLP/HTTP protobuf export requests (ExportTraceServiceRequest, ExportMetricsServiceRequest) into the
/// records above. Field numbers follow opentelemetry/proto trace/v1, metrics/v1, common/v1 and resource/v1.
/// </summary>
public static class OtlpDecoder
{
    public static List<ReceivedSpan> DecodeTraces(ReadOnlySpan<byte> request)
    {
        var spans = new List<ReceivedSpan>();
        var r = new ProtoReader(request);
        while (r.Next())
        {
            if (r.Field == 1 && r.WireType == 2) ResourceSpans(r.Bytes(), spans);
            else r.Skip();
        }
        return spans;
    }

    private static void ResourceSpans(ReadOnlySpan<byte> data, List<ReceivedSpan> spans)
    {
        var resource = new Dictionary<string, object>();
        var scopes = new List<byte[]>();
        var r = new ProtoReader(data);
        while (r.Next())
        {
            if (r.Field == 1 && r.WireType == 2) Resource(r.Bytes(), resource);
            else if (r.Field == 2 && r.WireType == 2) scopes.Add(r.Bytes().ToArray());
            else r.Skip();
        }
        foreach (var scope in scopes)
        {
            var s = new ProtoReader(scope);
            while (s.Next())
            {
                if (s.Field == 2 && s.WireType == 2) spans.Add(Span(s.Bytes(), resource));
                else s.Skip();
            }
        }
    }

    private static ReceivedSpan Span(ReadOnlySpan<byte> data, IReadOnlyDictionary<string, object> resource)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var attributes = new Dictionary<string, object>();
        var links = new List<(string, string)>();
        var r = new ProtoReader(data);
        while (r.Next())
        {
            switch (r.Field, r.WireType)
            {
                case (1, 2): traceId = Convert.ToHexStringLower(r.Bytes()); break;
                case (2, 2): spanId = Convert.ToHexStringLower(r.Bytes()); break;
                case (4, 2): parent = Convert.ToHexStringLower(r.Bytes()); break;
                case (5, 2): name = r.String(); break;
                case (9, 2): KeyValue(r.Bytes(), attributes); break;
                case (13, 2): links.Add(Link(r.Bytes())); break;
                default: r.Skip(); break;
            }
        }
        return new ReceivedSpan(traceId, spanId, parent, name, attributes, links, resource);
    }

    private static (string, string) Link(ReadOnlySpan<byte> data)
    {
        string traceId = "", spanId = "";
        var r = new ProtoReader(data);
        while (r.Next())
        {
            if (r.Field == 1 && r.WireType == 2) traceId = Convert.ToHexStringLower(r.Bytes());
            else if (r.Field == 2 && r.WireType == 2) spanId = Convert.ToHexStringLower(r.Bytes());
            else r.Skip();
        }
        return (traceId, spanId);
    }

    private static void Resource(ReadOnlySpan<byte> data, Dictionary<string, object> into)
    {
        var r = new ProtoReader(data);
        while (r.Next())
        {
            if (r.Field == 1 && r.WireType == 2) KeyValue(r.Bytes(), into);
            else r.Skip();
        }
    }

    private static void KeyValue(ReadOnlySpan<byte> data, Dictionary<string, object> into)
    {
        string key = "";
        object value = "";
        var r = new ProtoReader(data);
        while (r.Next())
        {
            if (r.Field == 1 && r.WireType == 2) key = r.String();
            else if (r.Field == 2 && r.WireType == 2) value = AnyValue(r.Bytes());
            else r.Skip();
        }
        into[key] = value;
    }

    private static object AnyValue(ReadOnlySpan<byte> data)
    {
        var r = new ProtoReader(data);
        object value = "";
        while (r.Next())
        {
            switch (r.Field, r.WireType)
            {
                case (1, 2): value = r.String(); break;
                case (2, 0): value = r.Varint() != 0; break;
                case (3, 0): value = (long)r.Varint(); break;
                case (4, 1): value = r.Double(); break;
                default: r.Skip(); break;
            }
        }
        return value;
    }

    public static (List<ReceivedHistogramPoint> Histograms, List<ReceivedSumPoint> Sums) DecodeMetrics(ReadOnlySpan<byte> request)
    {
        var histograms = new List<ReceivedHistogramPoint>();
        var sums = new List<ReceivedSumPoint>();
        var r = new ProtoReader(request);
        while (r.Next())
        {
            if (r.Field != 1 || r.WireType != 2) { r.Skip(); continue; }
            var rm = new ProtoReader(r.Bytes());
            while (rm.Next())
            {
                if (rm.Field != 2 || rm.WireType != 2) { rm.Skip(); continue; }
                var sm = new ProtoReader(rm.Bytes());
                while (sm.Next())
                {
                    if (sm.Field == 2 && sm.WireType == 2) Metric(sm.Bytes(), histograms, sums);
                    else sm.Skip();
                }
            }
        }
        return (histograms, sums);
    }

    private static void Metric(ReadOnlySpan<byte> data, List<ReceivedHistogramPoint> histograms, List<ReceivedSumPoint> sums)
    {
        string name = "", unit = "";
        var histogramBodies = new List<byte[]>();
        var sumBodies = new List<byte[]>();
        var r = new ProtoReader(data);
        while (r.Next())
        {
            switch (r.Field, r.WireType)
            {
                case (1, 2): name = r.String(); break;
                case (3, 2): unit = r.String(); break;
                case (5, 2): sumBodies.Add(r.Bytes().ToArray()); break; // gauge: same data-point shape
                case (7, 2): sumBodies.Add(r.Bytes().ToArray()); break; // sum
                case (9, 2): histogramBodies.Add(r.Bytes().ToArray()); break;
                default: r.Skip(); break;
            }
        }
        foreach (var body in histogramBodies)
        {
            var h = new ProtoReader(body);
            while (h.Next())
            {
                if (h.Field == 1 && h.WireType == 2) histograms.Add(HistogramPoint(name, unit, h.Bytes()));
                else h.Skip();
            }
        }
        foreach (var body in sumBodies)
        {
            var s = new ProtoReader(body);
            while (s.Next())
            {
                if (s.Field == 1 && s.WireType == 2) sums.Add(NumberPoint(name, s.Bytes()));
                else s.Skip();
            }
        }
    }

    private static ReceivedHistogramPoint HistogramPoint(string name, string unit, ReadOnlySpan<byte> data)
    {
        ulong count = 0;
        double sum = 0;
        var attributes = new Dictionary<string, object>();
        var r = new ProtoReader(data);
        while (r.Next())
        {
            switch (r.Field, r.WireType)
            {
                case (4, 1): count = r.Fixed64(); break;
                case (5, 1): sum = r.Double(); break;
                case (9, 2): KeyValue(r.Bytes(), attributes); break;
                default: r.Skip(); break;
            }
        }
        return new ReceivedHistogramPoint(name, unit, count, sum, attributes);
    }

    private static ReceivedSumPoint NumberPoint(string name, ReadOnlySpan<byte> data)
    {
        double value = 0;
        var attributes = new Dictionary<string, object>();
        var r = new ProtoReader(data);
        while (r.Next())
        {
            switch (r.Field, r.WireType)
            {
                case (4, 1): value = r.Double(); break;                        // as_double
                case (6, 1): value = (long)r.Fixed64(); break;                 // as_int (sfixed64)
                case (7, 2): KeyValue(r.Bytes(), attributes); break;
                default: r.Skip(); break;
            }
        }
        return new ReceivedSumPoint(name, value, attributes);
    }
}
