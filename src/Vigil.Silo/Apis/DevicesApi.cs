using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Contracts;

namespace Vigil.Silo.Apis;

/// <summary>A device's state: window, last readings and scores, threshold, alert.</summary>
public static class DevicesApi
{
    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/v1").WithTags("Devices").MapGet("/homes/{home}/devices/{device}", GetDevice);
        return app;
    }

    internal static async Task<Results<Ok<DeviceSnapshot>, ProblemHttpResult>> GetDevice(
        string home, string device, HttpContext http, IGrainFactory grains)
    {
        if (ApiProblems.CheckIds(("home", home), ("device", device)) is { } badId)
        {
            return badId;
        }

        try
        {
            var snapshot = await grains.GetGrain<IDeviceGrain>(GrainKeys.ForDevice(home, device)).GetSnapshotAsync();
            // Every id names a grain; one that never received a reading is not a device anyone has seen.
            return snapshot.TotalAccepted == 0 && snapshot.Filled == 0
                ? ApiProblems.NotFound($"No readings have been received for {home}/{device}.")
                : TypedResults.Ok(snapshot);
        }
        catch (Exception e) when (ApiProblems.TryMap(e, http, out var problem))
        {
            return problem;
        }
    }
}
