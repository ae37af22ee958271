using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Access;

namespace Vigil.Silo.Tests;

/// <summary>
/// One real embedded silo (Kestrel on a free loopback port, Orleans on free ports, the repo's model bundles, no
/// simulator) shared by the HTTP tests, with small body limits so the 413 answers are cheap to provoke. Access control
/// is on, as in production: <see cref="Client"/> sends <see cref="OperatorKey"/>; home keys go to <see cref="KeyStore"/>,
/// the silo's own key file in a temp folder.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const long ReadingsLimit = 16 * 1024, BulkLimit = 64 * 1024, FrameLimit = 128 * 1024;

    /// <summary>An operator key for silos started by tests (this fixture and the others that start their own).</summary>
    public static readonly string OperatorKey = ApiKeyFormat.Create(null, DateTimeOffset.UtcNow).Key;

    private readonly string _keyFolder = Directory.CreateTempSubdirectory("vigil-silo-keys-").FullName;
    private WebApplication? _app;

    /// <summary>Sends <see cref="OperatorKey"/> on every request.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The key file this silo reads (cached by the silo for <c>Vigil:Auth:CacheSeconds</c>, the default 5 s).</summary>
    public FileApiKeyStore KeyStore { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        _app = SiloApp.Build(
        [
            .. LoopbackSilo.Args("silo-tests"),
            $"--Vigil:Http:MaxReadingsBodyBytes={ReadingsLimit}",
            $"--Vigil:Http:MaxBulkBodyBytes={BulkLimit}",
            $"--Vigil:Http:MaxFrameBodyBytes={FrameLimit}",
            $"--Vigil:Auth:OperatorKey={OperatorKey}",
            $"--Vigil:Auth:KeyFile={Path.Combine(_keyFolder, "keys.json")}",
            "--simulate", "0",
        ]);
        await _app.StartAsync();
        Address = new Uri(LoopbackSilo.Address(_app));
        KeyStore = new FileApiKeyStore(Path.Combine(_keyFolder, "keys.json"));
        Client = NewClient(OperatorKey);
    }

    /// <summary>A client of this silo that sends <paramref name="key"/> (none when null).</summary>
    public HttpClient NewClient(string? key)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(ApiKeyAuthenticator.Header, key);
        }

        return client;
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

        Directory.Delete(_keyFolder, recursive: true);
    }

}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "embedded silo";
}
