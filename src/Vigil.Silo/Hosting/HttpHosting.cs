using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Timeouts;
using Vigil.Silo.Access;
using Vigil.Silo.Configuration;

namespace Vigil.Silo.Hosting;

/// <summary>Kestrel, limits and error answers: what the HTTP side of the silo promises every client.</summary>
public static class HttpHosting
{
    public static WebApplicationBuilder AddVigilHttp(this WebApplicationBuilder builder, HostSettings settings)
    {
        var http = settings.Http;
        builder.WebHost.UseUrls(http.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The largest route limit; each route lowers it for its own requests before reading.
            kestrel.Limits.MaxRequestBodySize = Math.Max(http.MaxBulkBodyBytes, Math.Max(http.MaxReadingsBodyBytes, http.MaxFrameBodyBytes));
            // Slow-loris: headers must arrive within 10 s and bodies at 240 B/s after a 5 s grace.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(5));
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.AddServerHeader = false;
        });

        builder.Services.AddProblemDetails();
        // Alert kinds and event types as words ("sensor", "camera", "home"), not enum numbers.
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = TimeSpan.FromSeconds(http.RequestTimeoutSeconds),
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        });
        return builder;
    }

    public static WebApplication UseVigilHttp(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestTimeouts();
        app.UseVigilAccess();
        return app;
    }
}
