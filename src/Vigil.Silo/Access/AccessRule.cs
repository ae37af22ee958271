namespace Vigil.Silo.Access;

/// <summary>What a request needs: nothing, a key for one home (or the operator key), or the operator key.</summary>
internal readonly record struct AccessRule(AccessRule.Kinds Kind, string? Home = null)
{
    public enum Kinds
    {
        Open,
        Home,
        Operator,
    }

    private static readonly PathString Homes = "/v1/homes";
    private static readonly string[] OpenPaths = ["/healthz", "/readyz"];

    /// <summary>
    /// Health probes are open; <c>/v1/homes/{home}/...</c> belongs to that home; everything else (bulk readings, the
    /// alert stream, the dashboard, unknown paths) is cluster-wide. The home comes from the matched route when there
    /// is one (what the endpoint itself will use), else from the path, so an unmatched home path is still scoped.
    /// </summary>
    public static AccessRule For(HttpContext http)
    {
        var path = http.Request.Path;
        var trimmed = path.HasValue && path.Value!.Length > 1 ? path.Value.TrimEnd('/') : path.Value;
        if (OpenPaths.Any(open => string.Equals(trimmed, open, StringComparison.OrdinalIgnoreCase)))
        {
            return new AccessRule(Kinds.Open);
        }

        if (http.GetRouteValue("home") is string routed)
        {
            return new AccessRule(Kinds.Home, routed);
        }

        if (path.StartsWithSegments(Homes, StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue)
        {
            var home = rest.Value!.TrimStart('/').Split('/', 2)[0];
            if (home.Length > 0)
            {
                return new AccessRule(Kinds.Home, home);
            }
        }

        return new AccessRule(Kinds.Operator);
    }
}
