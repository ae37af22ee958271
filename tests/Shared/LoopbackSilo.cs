using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Testing;

/// <summary>
/// What every test that starts the real silo host in process (<c>SiloApp.Build</c>) gives it: HTTP on a free loopback
/// port, Orleans on free ports and its own cluster id, the repository's model bundles, warnings only. One file, linked
/// into the test projects that start silos.
/// </summary>
internal static class LoopbackSilo
{
    /// <summary>The arguments to start from; a test appends its own (a later key wins), then <c>--simulate 0</c>.</summary>
    public static string[] Args(string clusterPrefix) =>
    [
        "--Vigil:Http:Urls=http://127.0.0.1:0",
        $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
        $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
        $"--Vigil:Clustering:ClusterId={clusterPrefix}-{Guid.NewGuid():N}",
        $"--Vigil:Models:Path={TestRepo.Models}",
        "--Logging:LogLevel:Default=Warning",
    ];

    /// <summary>The HTTP address a started silo's Kestrel bound (the port was 0).</summary>
    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

}
