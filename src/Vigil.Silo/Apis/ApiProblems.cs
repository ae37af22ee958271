using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Contracts;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Silo.Ingestion;

namespace Vigil.Silo.Apis;

/// <summary>The API's error answers: problem details with what is wrong, and Retry-After where a retry helps.</summary>
internal static class ApiProblems
{
    /// <summary>Bounds how long a client is told to wait, whatever a grain suggests.</summary>
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    public static ProblemHttpResult BadRequest(string detail, IReadOnlyList<string>? errors = null) =>
        Problem(StatusCodes.Status400BadRequest, "Invalid input", detail, errors);

    public static ProblemHttpResult NotFound(string detail) =>
        Problem(StatusCodes.Status404NotFound, "Not found", detail);

    /// <summary>Null when both ids are valid; otherwise the 400 naming the bad one.</summary>
    public static ProblemHttpResult? CheckIds(params (string What, string Id)[] ids)
    {
        foreach (var (what, id) in ids)
        {
            if (GrainKeys.Check(id) is { } problem)
            {
                return BadRequest($"{what} id '{ReadingJson.Truncate(id)}' {problem}.");
            }
        }

        return null;
    }

    /// <summary>
    /// Maps the failures an endpoint expects to their answers; anything else propagates to the exception handler
    /// (500 problem details, logged).
    /// </summary>
    public static bool TryMap(Exception exception, HttpContext http, out ProblemHttpResult problem)
    {
        switch (Unwrap(exception))
        {
            case InvalidInputException e:
                problem = BadRequest(e.Message, e.Details);
                return true;
            case FrameFormatException e:
                problem = BadRequest(e.Message);
                return true;
            case PartiallyAppliedException e:
                if (e.RetryAfter is { } after)
                {
                    SetRetryAfter(http, after);
                }

                problem = Problem(e.Status, "Partially applied", e.Message, e.Details,
                    new Dictionary<string, object?> { ["notApplied"] = e.NotApplied });
                return true;
            case BadRequestBodyException e:
                problem = Problem(e.Status, "Bad request body", e.Message);
                return true;
            case PayloadTooLargeException e:
                problem = Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", e.Message);
                return true;
            case OverloadedException e:
                // 429: this request's model queue is full; the client should slow down and retry as is.
                SetRetryAfter(http, e.RetryAfter);
                problem = Problem(StatusCodes.Status429TooManyRequests, "Overloaded", $"{e.Message} Nothing was applied; retry after the delay.");
                return true;
            case BundleException e:
                // The model this request needs is not published (or failed to load); publishing one fixes it.
                SetRetryAfter(http, TimeSpan.FromSeconds(10));
                problem = Problem(StatusCodes.Status503ServiceUnavailable, "Model unavailable", e.Message);
                return true;
            case var e when TransientFailures.IsClusterTransition(e):
                // 503: the cluster is reconfiguring (a silo died, grains moving); the same request will work soon.
                SetRetryAfter(http, TimeSpan.FromSeconds(2));
                problem = Problem(StatusCodes.Status503ServiceUnavailable, "Cluster unavailable",
                    "The cluster could not take the request right now; retry after the delay.");
                return true;
            case var e when TransientFailures.IsStorageConflict(e):
                // 503: the grain's copy is one version behind what is stored; it reloads on the next request. It was
                // the one storage failure left unmapped (a 500) when the failure test that kills redis-server under
                // load saw a 500.
                SetRetryAfter(http, TimeSpan.FromSeconds(1));
                problem = Problem(StatusCodes.Status503ServiceUnavailable, "Storage conflict",
                    "The device's stored state changed since it was loaded (a write whose answer was lost); it reloads, and " +
                    "nothing of this request was stored; retry after the delay.");
                return true;
            case var e when TransientFailures.IsStorageUnavailable(e):
                // 503: grain storage (Redis) is unreachable; the device put its state back, nothing was acknowledged,
                // and the same request will work once Redis is back.
                SetRetryAfter(http, TimeSpan.FromSeconds(2));
                problem = Problem(StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                    "Grain storage could not be reached, so nothing of this request was stored; retry after the delay.");
                return true;
            default:
                problem = null!;
                return false;
        }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerExceptions[0]) : e;

    private static void SetRetryAfter(HttpContext http, TimeSpan after)
    {
        var seconds = (int)Math.Ceiling(Math.Clamp(after.TotalSeconds, 1, MaxRetryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
    }

    private static ProblemHttpResult Problem(
        int status, string title, string detail, IReadOnlyList<string>? errors = null, Dictionary<string, object?>? extensions = null)
    {
        if (errors is { Count: > 0 })
        {
            extensions ??= [];
            extensions["errors"] = errors;
        }

        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }
}
