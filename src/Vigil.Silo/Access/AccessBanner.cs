using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vigil.Access;

namespace Vigil.Silo.Access;

/// <summary>
/// Tells the person at the console how to call the API once the silo listens: the generated operator key (printed
/// once, to the console only: not through logging, so it never reaches a log pipeline or telemetry), or a loud
/// warning that auth is off.
/// </summary>
internal sealed class AccessBanner(
    AccessCredentials credentials,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<AccessBanner> logger,
    bool embedded) : IHostedService
{
    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }

    private void Print()
    {
        var output = Console.Out;
        if (!credentials.Enabled)
        {
            logger.LogWarning("Access control is OFF ({Key}=false / --auth off): anyone who can reach the HTTP port can read and write every home.",
                AuthOptions.EnabledKey);
            output.WriteLine();
            output.WriteLine("  !!! WARNING: access control is OFF (--auth off). Every route of the API is open to anyone who can reach it. !!!");
            output.WriteLine("  !!! Use this for local demos only; never in a cluster.                                                   !!!");
            output.WriteLine();
            output.Flush();
            return;
        }

        if (credentials.Generated && !embedded)
        {
            // A key made up by one pod works on that pod only: useless to print, and pod logs are not the place for it.
            logger.LogWarning("No {Key} is configured: cluster-wide routes accept only operator keys from the key store (vigil keys create --operator --redis ...).",
                AuthOptions.OperatorKeyKey);
            return;
        }

        if (credentials.Generated)
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            output.WriteLine();
            output.WriteLine($"  Operator key (generated for this run; set {AuthOptions.OperatorKeyKey} to keep one, or --auth off for a demo without keys):");
            output.WriteLine($"    {credentials.OperatorKey}");
            output.WriteLine($"  e.g. curl -H '{ApiKeyAuthenticator.Header}: <key>' {address.TrimEnd('/')}/v1/homes/home-0001/alerts");
            output.WriteLine();
            output.Flush();
        }
    }
}
