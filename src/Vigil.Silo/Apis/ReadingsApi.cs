using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Silo.Configuration;
using Vigil.Silo.Ingestion;

namespace Vigil.Silo.Apis;

/// <summary>Sensor readings in: one device as JSON, or many devices as NDJSON.</summary>
public static class ReadingsApi
{
    public static IEndpointRouteBuilder MapReadingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1").WithTags("Readings");
        api.MapPost("/homes/{home}/devices/{device}/readings", PostDeviceReadings);
        api.MapPost("/readings", PostBulkReadings);
        return app;
    }

    internal static async Task<Results<Accepted<ReadingsAccepted>, ProblemHttpResult>> PostDeviceReadings(
        string home, string device, HttpContext http, ReadingsIngestor ingestor, IOptions<HttpOptions> options)
    {
        if (ApiProblems.CheckIds(("home", home), ("device", device)) is { } badId)
        {
            return badId;
        }

        try
        {
            var body = await RequestBody.ReadAsync(http.Request, options.Value.MaxReadingsBodyBytes, http.RequestAborted);
            var readings = DeviceReadingsBody.Parse(body);
            return TypedResults.Accepted((string?)null, await ingestor.IngestAsync(home, device, readings));
        }
        catch (Exception e) when (ApiProblems.TryMap(e, http, out var problem))
        {
            return problem;
        }
    }

    internal static async Task<Results<Accepted<ReadingsAccepted>, ProblemHttpResult>> PostBulkReadings(
        HttpContext http, ReadingsIngestor ingestor, IOptions<HttpOptions> options)
    {
        try
        {
            var body = await RequestBody.ReadAsync(http.Request, options.Value.MaxBulkBodyBytes, http.RequestAborted);
            var batches = BulkReadingsBody.Parse(body, options.Value.MaxBulkLines);
            return TypedResults.Accepted((string?)null, await ingestor.IngestAsync(batches));
        }
        catch (Exception e) when (ApiProblems.TryMap(e, http, out var problem))
        {
            return problem;
        }
    }
}
