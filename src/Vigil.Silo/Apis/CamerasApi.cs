using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Detectors.Frames;
using Vigil.Silo.Configuration;
using Vigil.Silo.Ingestion;

namespace Vigil.Silo.Apis;

/// <summary>Camera frames in (PNG or JPEG, or raw 8-bit grey with <c>?width=&amp;height=</c>), and a camera's state out.</summary>
public static class CamerasApi
{
    public static IEndpointRouteBuilder MapCamerasApi(this IEndpointRouteBuilder app)
    {
        var cameras = app.MapGroup("/v1").WithTags("Cameras");
        cameras.MapPost("/homes/{home}/cameras/{camera}/frames", PostFrame);
        cameras.MapGet("/homes/{home}/cameras/{camera}", GetCamera);
        return app;
    }

    internal static Task<Results<Ok<CameraSnapshot>, ProblemHttpResult>> GetCamera(string home, string camera, HttpContext http, IGrainFactory grains) =>
        MemberSnapshot.ReadAsync(home, ("camera", camera),
            () => grains.GetGrain<ICameraGrain>(GrainKeys.ForCamera(home, camera)).GetSnapshotAsync(),
            snapshot => snapshot.TotalFrames != 0, "frames", http);

    internal static async Task<Results<Accepted<FrameResult>, ProblemHttpResult>> PostFrame(
        string home, string camera, int? width, int? height, string? t, HttpContext http, IGrainFactory grains,
        IOptions<HttpOptions> httpOptions, IOptions<FrameLimits> frameLimits)
    {
        if (ApiProblems.CheckIds(("home", home), ("camera", camera)) is { } badId)
        {
            return badId;
        }

        try
        {
            var at = ParseTime(t);
            var limits = frameLimits.Value;
            var body = await RequestBody.ReadAsync(http.Request, Math.Min(httpOptions.Value.MaxFrameBodyBytes, limits.MaxEncodedBytes), http.RequestAborted);
            var source = $"{home}/{camera} frame";
            var frame = (width, height) switch
            {
                (null, null) => FrameDecoder.DecodeImage(body, limits, source),
                ({ } w, { } h) => FrameDecoder.FromRawGrey(body, w, h, limits, source),
                _ => throw new InvalidInputException("Raw grey frames need both ?width= and ?height=; PNG/JPEG bodies need neither."),
            };

            var result = await grains.GetGrain<ICameraGrain>(GrainKeys.ForCamera(home, camera))
                .SubmitFrameAsync(new FrameData(at, frame.Width, frame.Height, frame.Pixels));
            return result.Accepted
                ? TypedResults.Accepted((string?)null, result)
                : ApiProblems.BadRequest($"{source}: {result.Reason ?? "rejected by the camera"}.");
        }
        catch (Exception e) when (ApiProblems.TryMap(e, http, out var problem))
        {
            return problem;
        }
    }

    /// <summary>The frame's time: <c>?t=</c> (ISO 8601 with offset) when the camera stamps it, else arrival.</summary>
    private static DateTimeOffset ParseTime(string? t)
    {
        if (t is null)
        {
            return DateTimeOffset.UtcNow;
        }

        // The readings' rule: a bare date or a zone-less time would be read in the silo's own zone.
        return ReadingJson.TryParseTime(t, out var parsed)
            ? parsed
            : throw new InvalidInputException($"?t='{ReadingJson.Truncate(t)}' is not an ISO 8601 time with offset (e.g. 2026-11-22T10:00:00Z).");
    }
}
