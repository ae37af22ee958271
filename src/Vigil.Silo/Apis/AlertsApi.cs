using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Contracts;
using Vigil.Silo.Alerts;

namespace Vigil.Silo.Apis;

/// <summary>Alerts out: a home's recent alerts, and a server-sent event stream of every alert as it happens.</summary>
public static class AlertsApi
{
    /// <summary>Most alerts one list answer carries.</summary>
    private const int MaxListed = 500;

    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("Alerts");
        api.MapGet("/homes/{home}/alerts", GetHomeAlerts);
        // Long-lived by design: no request timeout.
        api.MapGet("/alerts/stream", StreamAlerts).DisableRequestTimeout();
        return app;
    }

    internal static async Task<Results<Ok<AlertRecord[]>, ProblemHttpResult>> GetHomeAlerts(
        string home, int? max, HttpContext http, IGrainFactory grains)
    {
        if (ApiProblems.CheckIds(("home", home)) is { } badId)
        {
            return badId;
        }

        if (max is < 1 or > MaxListed)
        {
            return ApiProblems.BadRequest($"?max must be between 1 and {MaxListed} (got {max}).");
        }

        try
        {
            return TypedResults.Ok(await grains.GetGrain<IHomeGrain>(GrainKeys.ForHome(home)).GetRecentAlertsAsync(max ?? 100));
        }
        catch (Exception e) when (ApiProblems.TryMap(e, http, out var problem))
        {
            return problem;
        }
    }

    /// <summary>
    /// <c>event: raised|cleared</c>, <c>id</c> = alert id, <c>data</c> = the alert as JSON. <c>?home=</c> narrows it
    /// to one home. The headers and a comment line go out at once, so a client knows it is connected before the
    /// first alert (which may be minutes away).
    /// </summary>
    internal static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StreamAlerts(
        string? home, AlertHub hub, HttpContext http, IOptions<JsonOptions> json)
    {
        if (home is not null && ApiProblems.CheckIds(("home", home)) is { } badId)
        {
            return badId;
        }

        var cancellationToken = http.RequestAborted;
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            await http.Response.Body.WriteAsync(": connected\n\n"u8.ToArray(), cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            var serializer = json.Value.SerializerOptions;
            await SseFormatter.WriteAsync(Events(hub, home, cancellationToken), http.Response.Body,
                (item, writer) =>
                {
                    using var jsonWriter = new Utf8JsonWriter(writer);
                    JsonSerializer.Serialize(jsonWriter, item.Data, serializer);
                },
                cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the normal end of a stream.
        }

        return TypedResults.Empty;
    }

    private static async IAsyncEnumerable<SseItem<AlertRecord>> Events(
        AlertHub hub, string? home, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var alert in hub.ListenAsync(cancellationToken))
        {
            if (home is null || alert.Alert.Home == home)
            {
                yield return new SseItem<AlertRecord>(alert.Alert, alert.Type == AlertEventType.Raised ? "raised" : "cleared")
                {
                    EventId = alert.Alert.Id,
                };
            }
        }
    }
}
