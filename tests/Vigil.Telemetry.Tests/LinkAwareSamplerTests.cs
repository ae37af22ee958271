using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Vigil.Telemetry.Tests;

public sealed class LinkAwareSamplerTests
{
    private static readonly Sampler NeverAtRoot = new LinkAwareSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(0)));

    private static ActivityContext Context(bool recorded) =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), recorded ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None);

    private static SamplingDecision Decide(ActivityContext parent, params ActivityContext[] links) =>
        NeverAtRoot.ShouldSample(new SamplingParameters(parent, ActivityTraceId.CreateRandom(), "vigil.model.batch", ActivityKind.Internal,
            links: links.Select(l => new ActivityLink(l)))).Decision;

    [Fact]
    public void A_root_batch_span_is_kept_when_one_request_it_served_is_traced()
    {
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(default, Context(false), Context(true), Context(false)));
    }

    [Fact]
    public void A_root_batch_span_of_untraced_requests_follows_the_ratio()
    {
        Assert.Equal(SamplingDecision.Drop, Decide(default, Context(false), Context(false)));
        Assert.Equal(SamplingDecision.Drop, Decide(default));
    }

    [Fact]
    public void A_child_span_follows_its_parent_not_its_links()
    {
        Assert.Equal(SamplingDecision.Drop, Decide(Context(false), Context(true)));
        Assert.Equal(SamplingDecision.RecordAndSample, Decide(Context(true)));
    }
}
