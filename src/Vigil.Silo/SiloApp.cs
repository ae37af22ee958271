using Vigil.Detectors.Runtime;

namespace Vigil.Silo;

/// <summary>Composes the silo host: Orleans, the HTTP API and health endpoints, from configuration.</summary>
public static class SiloApp
{
    public static WebApplication Build(string[] args)
    {
        TorchRuntime.EnsureInitialised();
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
        builder.UseOrleans(silo => silo.UseLocalhostClustering());

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
        return app;
    }
}
