using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Vigil.Telemetry;

/// <summary>
/// Samples a root span that links to a recorded span, and leaves every other decision to <paramref name="inner"/>.
/// A model batch span is a root linked to the requests it served: under ratio sampling it must be kept exactly when
/// one of those requests' traces is kept, or sampled traces would lose their batch and unsampled ones gain one.
/// </summary>
public sealed class LinkAwareSampler(Sampler inner) : Sampler
{
    private static readonly SamplingResult Keep = new(SamplingDecision.RecordAndSample);

    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        if (parameters.ParentContext.TraceId == default && parameters.Links is { } links)
        {
            foreach (var link in links)
            {
                if ((link.Context.TraceFlags & ActivityTraceFlags.Recorded) != 0) return Keep;
            }
        }
        return inner.ShouldSample(parameters);
    }
}
