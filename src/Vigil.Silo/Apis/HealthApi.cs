using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Silo.Health;

namespace Vigil.Silo.Apis;

/// <summary>Liveness (the process answers) and readiness (the model grains have loaded their bundles).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithTags("Health");
        app.MapGet("/readyz", GetReadiness).WithTags("Health");
        return app;
    }

    internal static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> GetReadiness(
        ModelReadiness readiness, CancellationToken cancellationToken)
    {
        var state = await readiness.CheckAsync(cancellationToken);
        return state.Ready
            ? TypedResults.Ok(state)
            : TypedResults.Json(state, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
