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

    internal static Task<Results<Ok<DeviceSnapshot>, ProblemHttpResult>> GetDevice(string home, string device, HttpContext http, IGrainFactory grains) =>
        MemberSnapshot.ReadAsync(home, ("device", device),
            () => grains.GetGrain<IDeviceGrain>(GrainKeys.ForDevice(home, device)).GetSnapshotAsync(),
            snapshot => snapshot.TotalAccepted != 0 || snapshot.Filled != 0, "readings", http);
}
