using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Contracts;
using Vigil.Silo.Ingestion;

namespace Vigil.Silo.Apis;

/// <summary>A device's state (window, last readings and scores, threshold, alert), and what it measures.</summary>
public static class DevicesApi
{
    /// <summary>A declaration is one short JSON object; anything longer is not one.</summary>
    private const int MaxDeclarationBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var devices = app.MapGroup("/v1").WithTags("Devices");
        devices.MapGet("/homes/{home}/devices/{device}", GetDevice);
        devices.MapPut("/homes/{home}/devices/{device}", PutDevice);
        return app;
    }

    internal static Task<Results<Ok<DeviceSnapshot>, ProblemHttpResult>> GetDevice(string home, string device, HttpContext http, IGrainFactory grains) =>
        MemberSnapshot.ReadAsync(home, ("device", device),
            () => grains.GetGrain<IDeviceGrain>(GrainKeys.ForDevice(home, device)).GetSnapshotAsync(),
            snapshot => snapshot.TotalAccepted != 0 || snapshot.Filled != 0, "readings", http);

    /// <summary>
    /// <c>{"kind": "power"}</c>: declares what the device measures, so its threshold starts from what the fleet's devices
    /// of that kind have learnt (<see cref="IFleetPriorGrain"/>). Before or after its first readings; idempotent.
    /// </summary>
    internal static async Task<Results<Ok<DeviceDeclaration>, ProblemHttpResult>> PutDevice(string home, string device, HttpContext http, IGrainFactory grains)
    {
        if (ApiProblems.CheckIds(("home", home), ("device", device)) is { } badId)
        {
            return badId;
        }

        try
        {
            var body = await RequestBody.ReadAsync(http.Request, MaxDeclarationBytes, http.RequestAborted);
            var kind = ParseKind(body);
            if (ApiProblems.CheckIds(("kind", kind)) is { } badKind)
            {
                return badKind;
            }

            await grains.GetGrain<IDeviceGrain>(GrainKeys.ForDevice(home, device)).SetKindAsync(kind);
            return TypedResults.Ok(new DeviceDeclaration(home, device, kind));
        }
        catch (Exception e) when (ApiProblems.TryMap(e, http, out var problem))
        {
            return problem;
        }
    }

    private static string ParseKind(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw new InvalidInputException("The body must be a JSON object such as {\"kind\": \"power\"}.");
            if (!json.RootElement.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String)
                throw new InvalidInputException("The body needs \"kind\": a string such as \"power\" or \"temperature\".");
            return kind.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // GetString refuses a lone surrogate (\udc00): JSON can escape it, but it is no text.
            throw new InvalidInputException("\"kind\" is not valid text (it holds a lone UTF-16 surrogate).");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"The body is not JSON ({e.Message}); send {{\"kind\": \"power\"}}.");
        }
    }
}

/// <summary>What <c>PUT /v1/homes/{home}/devices/{device}</c> answers: the declaration as stored.</summary>
public sealed record DeviceDeclaration(string Home, string Device, string Kind);
