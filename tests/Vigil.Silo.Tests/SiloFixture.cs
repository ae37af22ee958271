using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Vigil.Silo.Tests;

/// <summary>
/// One real embedded silo (Kestrel on a free loopback port, Orleans on free ports, the repo's model bundles, no
/// simulator) shared by the HTTP tests, with small body limits so the 413 answers are cheap to provoke.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const long ReadingsLimit = 16 * 1024, BulkLimit = 64 * 1024, FrameLimit = 128 * 1024;

    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        _app = SiloApp.Build(
        [
            "--Vigil:Http:Urls=http://127.0.0.1:0",
            $"--Vigil:Orleans:SiloPort={FreePort()}",
            $"--Vigil:Orleans:GatewayPort={FreePort()}",
            $"--Vigil:Clustering:ClusterId=silo-tests-{Guid.NewGuid():N}",
            $"--Vigil:Models:Path={Path.Combine(RepoRoot(), "models")}",
            $"--Vigil:Http:MaxReadingsBodyBytes={ReadingsLimit}",
            $"--Vigil:Http:MaxBulkBodyBytes={BulkLimit}",
            $"--Vigil:Http:MaxFrameBodyBytes={FrameLimit}",
            "--Logging:LogLevel:Default=Warning",
            "--simulate", "0",
        ]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static string RepoRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "embedded silo";
}
