using Vigil.Access;

namespace Vigil.Silo.Access;

/// <summary>
/// Checks the <c>X-Vigil-Key</c> header against the route's <see cref="AccessRule"/> before any endpoint runs:
/// no or bad key → 401 with <c>WWW-Authenticate</c>; another home's key on a home route → 404 exactly as for a route
/// that does not exist (so a key holder learns nothing about other homes' ids); a home key on a cluster-wide
/// route → 403 (those routes are documented, nothing leaks by naming them). The key itself is never logged.
/// </summary>
internal sealed class AccessControlMiddleware(
    RequestDelegate next,
    IProblemDetailsService problems,
    ILogger<AccessControlMiddleware> logger)
{
    /// <summary>The challenge a 401 carries: the scheme is the header the key goes in.</summary>
    public const string Challenge = $"{Scheme} realm=\"vigil\", header=\"{ApiKeyAuthenticator.Header}\"";

    public const string Scheme = "VigilKey";

    /// <summary>The authenticator is resolved per request: its Redis store connects while the host starts, after
    /// the pipeline (and this middleware) is built.</summary>
    public async Task InvokeAsync(HttpContext http, ApiKeyAuthenticator authenticator)
    {
        var rule = AccessRule.For(http);
        if (rule.Kind == AccessRule.Kinds.Open)
        {
            await next(http);
            return;
        }

        var presented = http.Request.Headers[ApiKeyAuthenticator.Header];
        Caller? caller;
        try
        {
            // Two copies of the header are refused rather than guessing which one counts.
            caller = presented.Count == 1 ? await authenticator.AuthenticateAsync(presented[0], http.RequestAborted) : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A key file's error names the file and the JSON problem; other errors only by type (nothing secret either way).
            logger.LogWarning("Access: the key store could not be read ({Error}); answering 503.",
                e is InvalidDataException ? e.Message : e.GetType().Name);
            http.Response.Headers.RetryAfter = "2";
            await WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Key store unavailable",
                "The API keys could not be checked right now; retry after the delay.");
            return;
        }

        if (caller is null)
        {
            // The key id (public, the 12 hex after vk_) helps spot a client with a revoked key; the secret is never logged.
            logger.LogDebug("Access: {Method} {Path} refused: {Reason}", http.Request.Method, http.Request.Path,
                presented.Count == 0 ? "no key" : ApiKeyFormat.TryParse(presented[0], out var id, out _) ? $"key {id} unknown, revoked or wrong secret" : "malformed key");
            http.Response.Headers.WWWAuthenticate = Challenge;
            await WriteAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized", presented.Count == 0
                ? $"This route needs an API key in the {ApiKeyAuthenticator.Header} header."
                : $"The {ApiKeyAuthenticator.Header} header does not hold a valid, unrevoked key.");
            return;
        }

        if (rule.Kind == AccessRule.Kinds.Home && !caller.MayAccess(rule.Home!))
        {
            // No body here: the status-code-pages middleware writes the same problem details as for an unknown route.
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (rule.Kind == AccessRule.Kinds.Operator && !caller.IsOperator)
        {
            await WriteAsync(http, StatusCodes.Status403Forbidden, "Forbidden",
                "This route is cluster-wide and needs an operator key; a home key reaches only /v1/homes/{its home}/...");
            return;
        }

        await next(http);
    }

    private Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
