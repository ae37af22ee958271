using Microsoft.AspNetCore.Http;
using Vigil.Contracts;
using Vigil.Silo.Apis;
using Vigil.Silo.Ingestion;

namespace Vigil.Silo.Tests;

public sealed class ApiProblemsTests
{
    private static (int Status, string? RetryAfter, string? Detail) Map(Exception e)
    {
        var http = new DefaultHttpContext();
        Assert.True(ApiProblems.TryMap(e, http, out var problem));
        return (problem.StatusCode, http.Response.Headers.RetryAfter.FirstOrDefault(), problem.ProblemDetails.Detail);
    }

    [Fact]
    public void A_full_model_queue_is_429_with_the_grains_retry_after()
    {
        var (status, retryAfter, detail) = Map(new OverloadedException("lstm-dcnn/latest/0 queue is full (4096).", TimeSpan.FromMilliseconds(1500)));
        Assert.Equal(StatusCodes.Status429TooManyRequests, status);
        Assert.Equal("2", retryAfter);
        Assert.Contains("queue is full", detail);
    }

    [Fact]
    public void Retry_after_is_at_least_one_second_and_bounded()
    {
        Assert.Equal("1", Map(new OverloadedException("full", TimeSpan.Zero)).RetryAfter);
        Assert.Equal("60", Map(new OverloadedException("full", TimeSpan.FromHours(1))).RetryAfter);
    }

    [Fact]
    public void An_overload_inside_an_aggregate_is_still_429() =>
        Assert.Equal(429, Map(new AggregateException(new OverloadedException("full"))).Status);

    [Fact]
    public void A_cluster_in_transition_is_503_with_retry_after()
    {
        var (status, retryAfter, _) = Map(new SiloUnavailableException("silo gone"));
        Assert.Equal((503, "2"), (status, retryAfter));
    }

    [Fact]
    public void A_model_that_is_not_published_is_503_with_retry_after()
    {
        var (status, retryAfter, detail) = Map(new Vigil.Detectors.Bundles.BundleException("No 'frame-cnn' bundle is published (model grain 'frame-cnn/latest/0')."));
        Assert.Equal((503, "10"), (status, retryAfter));
        Assert.Contains("frame-cnn", detail);
    }

    [Fact]
    public void Redis_down_under_a_storage_write_is_503_with_retry_after()
    {
        // What a device grain's WriteStateAsync throws while redis-server restarts: Orleans' wrapper around the client's error.
#pragma warning disable CS0618 // the client's own constructors prefer details a test has no use for
        var down = new StackExchange.Redis.RedisServerException("LOADING Redis is loading the dataset in memory");
#pragma warning restore CS0618
        var (status, retryAfter, detail) = Map(new Orleans.Runtime.OrleansException("Error from storage provider during WriteStateAsync", down));
        Assert.Equal((503, "2"), (status, retryAfter));
        Assert.Contains("nothing of this request was stored", detail);
    }

    [Fact]
    public void A_storage_version_conflict_after_a_lost_write_answer_is_503_with_retry_after()
    {
        // Redis stored a write but the answer was lost with the connection; the device's next write then fails its ETag check.
        var conflict = new Orleans.Storage.InconsistentStateException("Version conflict (WriteStateAsync): ... ETag=abc.");
        var (status, retryAfter, detail) = Map(conflict);
        Assert.Equal((503, "1"), (status, retryAfter));
        Assert.Contains("nothing of this request was stored", detail);
        Assert.Equal(503, Map(new AggregateException(conflict)).Status);
    }

    [Fact]
    public void Bad_input_is_400_and_oversize_413()
    {
        Assert.Equal(400, Map(new InvalidInputException("bad")).Status);
        Assert.Equal(413, Map(new PayloadTooLargeException(10)).Status);
    }

    [Fact]
    public void Unexpected_failures_are_left_to_the_exception_handler() =>
        Assert.False(ApiProblems.TryMap(new InvalidOperationException("bug"), new DefaultHttpContext(), out _));
}
