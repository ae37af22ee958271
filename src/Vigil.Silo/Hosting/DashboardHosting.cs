using Orleans.Dashboard;

namespace Vigil.Silo.Hosting;

/// <summary>
/// The Orleans Dashboard (cluster health: silos, grain activations, call rates) on the silo's own HTTP port, under
/// <see cref="Path"/>, only when <c>Vigil:Dashboard:Enabled</c> is true: it exposes grain state and is off by default.
/// </summary>
public static class DashboardHosting
{
    public const string EnabledKey = "Vigil:Dashboard:Enabled";

    public const string Path = "/dashboard";

    public static WebApplicationBuilder AddVigilDashboard(this WebApplicationBuilder builder)
    {
        if (IsEnabled(builder.Configuration))
        {
            builder.UseOrleans(silo => silo.AddDashboard());
        }

        return builder;
    }

    public static WebApplication MapVigilDashboard(this WebApplication app)
    {
        if (IsEnabled(app.Configuration))
        {
            app.MapOrleansDashboard(routePrefix: Path);
        }

        return app;
    }

    private static bool IsEnabled(IConfiguration configuration)
    {
        var value = configuration[EnabledKey];
        if (string.IsNullOrWhiteSpace(value)) return false;
        return bool.TryParse(value, out var enabled)
            ? enabled
            : throw new Microsoft.Extensions.Options.OptionsValidationException(EnabledKey, typeof(bool),
                [$"{EnabledKey} must be true or false (is '{value}')."]);
    }
}
