using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Vigil.Detectors.Bundles;
using Vigil.Grains.Models;
using Vigil.Grains.Options;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>The registry catalog against a real redis-server: mirroring, verification, refusal, pinned versions.</summary>
public sealed class RedisModelCatalogTests(RegistryRedisFixture redis) : IClassFixture<RegistryRedisFixture>, IAsyncLifetime
{
    private const string Kind = RegistryBundles.Kind;
    private readonly RegistryBundles bundles = new();
    private readonly string mirror = Directory.CreateTempSubdirectory("vigil-registry-mirror-").FullName;
    private ConnectionMultiplexer connection = null!;

    public async Task InitializeAsync()
    {
        // One server for the class; each test starts from an empty registry.
        connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        await connection.GetServers()[0].FlushDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        await connection.DisposeAsync();
        bundles.Dispose();
        Directory.Delete(mirror, recursive: true);
    }

    private RedisBundleRegistry Registry => new(connection.GetDatabase());

    private RedisModelCatalog Catalog() =>
        new(Microsoft.Extensions.Options.Options.Create(new ModelsOptions { Path = mirror, Source = ModelsOptions.RedisSource }), redis.ConnectionString, NullLogger<RedisModelCatalog>.Instance);

    [Fact]
    public async Task The_newest_published_version_is_mirrored_and_handed_out_as_a_verified_bundle_folder()
    {
        await Registry.PublishAsync(bundles.Bundle("20261122100000"), DateTimeOffset.UtcNow);
        await Registry.PublishAsync(bundles.Bundle("20261122110000"), DateTimeOffset.UtcNow);
        using var catalog = Catalog();

        var latest = catalog.FindLatest(Kind);

        Assert.NotNull(latest);
        Assert.Equal("20261122110000", latest.Version);
        Assert.Equal(Path.Combine(mirror, Kind, "20261122110000"), latest.Directory);
        Assert.Equal("20261122110000", ModelBundle.Open(latest.Directory, Kind).Manifest.Version);
        // Only the newest is fetched eagerly; an older one comes when a grain asks for it by version.
        Assert.False(Directory.Exists(Path.Combine(mirror, Kind, "20261122100000")));
        Assert.Equal(Path.Combine(mirror, Kind, "20261122100000"), catalog.Find(Kind, "20261122100000")?.Directory);
        Assert.Null(catalog.Find(Kind, "20990101000000"));
        Assert.Null(catalog.FindLatest(DetectorKinds.LstmDcnn));
    }

    [Fact]
    public async Task A_published_version_with_corrupted_weights_is_refused_with_its_checksum_and_the_previous_keeps_serving()
    {
        await Registry.PublishAsync(bundles.Bundle("20261122100000"), DateTimeOffset.UtcNow);
        using var catalog = Catalog();
        Assert.Equal("20261122100000", catalog.FindLatest(Kind)?.Version);

        await Registry.PublishAsync(bundles.Bundle("20261122120000"), DateTimeOffset.UtcNow);
        await RegistryBundles.CorruptWeightsAsync(connection.GetDatabase(), Kind, "20261122120000");
        await catalog.SyncAsync();

        Assert.Equal("20261122100000", catalog.FindLatest(Kind)?.Version);
        Assert.False(Directory.Exists(Path.Combine(mirror, Kind, "20261122120000")));
        Assert.False(Directory.EnumerateFileSystemEntries(Path.Combine(mirror, RedisBundleRegistry.IncomingFolder)).Any());
        var why = Assert.Single(catalog.Refused, r => r.Key == $"{Kind}/20261122120000").Value;
        Assert.Contains("refused", why);
        Assert.Contains("does not match its manifest: SHA-256", why);
        Assert.Contains("redis:vigil:models:autoencoder:20261122120000", why);
        // Asked for by version, the refusal is the answer, not "not published".
        var pinned = Assert.Throws<BundleException>(() => catalog.Find(Kind, "20261122120000"));
        Assert.Equal(why, pinned.Message);
    }

    [Fact]
    public async Task A_fresh_silo_whose_newest_published_version_is_corrupt_starts_on_the_newest_that_verifies()
    {
        await Registry.PublishAsync(bundles.Bundle("20261122100000"), DateTimeOffset.UtcNow);
        await Registry.PublishAsync(bundles.Bundle("20261122120000"), DateTimeOffset.UtcNow);
        await RegistryBundles.CorruptWeightsAsync(connection.GetDatabase(), Kind, "20261122120000");
        using var catalog = Catalog();

        Assert.Equal("20261122100000", catalog.FindLatest(Kind)?.Version);
        Assert.Contains($"{Kind}/20261122120000", catalog.Refused.Keys);
    }

    [Fact]
    public async Task Running_as_a_hosted_service_it_mirrors_a_version_published_after_start()
    {
        await Registry.PublishAsync(bundles.Bundle("20261122100000"), DateTimeOffset.UtcNow);
        using var catalog = new RedisModelCatalog(
            Microsoft.Extensions.Options.Options.Create(new ModelsOptions { Path = mirror, Source = ModelsOptions.RedisSource, RefreshSeconds = 0.1 }),
            redis.ConnectionString, NullLogger<RedisModelCatalog>.Instance);
        await catalog.StartAsync(CancellationToken.None);
        Assert.Equal("20261122100000", catalog.FindLatest(Kind)?.Version);

        await Registry.PublishAsync(bundles.Bundle("20261122110000"), DateTimeOffset.UtcNow);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (catalog.FindLatest(Kind)?.Version != "20261122110000")
        {
            Assert.True(DateTime.UtcNow < deadline, "the newer version was not mirrored within 30 s");
            await Task.Delay(50);
        }
        await catalog.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void The_models_source_is_folder_or_redis()
    {
        Assert.Empty(new ModelsOptions { Source = "redis" }.Validate());
        Assert.Contains("Vigil:Models:Source must be Folder or Redis (is 'S3').", new ModelsOptions { Source = "S3" }.Validate());
    }

    [Fact]
    public async Task Publishing_verifies_first_is_idempotent_for_the_same_bytes_and_refuses_other_bytes_under_a_taken_version()
    {
        var bundle = bundles.Bundle("20261122100000");
        var first = await Registry.PublishAsync(bundle, DateTimeOffset.UtcNow);
        var again = await Registry.PublishAsync(bundle, DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.False(first.AlreadyPublished);
        Assert.True(again.AlreadyPublished);
        Assert.Equal(first.Bundle, again.Bundle);

        var weights = Path.Combine(bundle, "weights.bin");
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[10] ^= 1;
        await File.WriteAllBytesAsync(weights, bytes);
        var corrupt = await Assert.ThrowsAsync<BundleException>(() => Registry.PublishAsync(bundle, DateTimeOffset.UtcNow));
        Assert.Contains(weights, corrupt.Message);
        Assert.Contains("does not match its manifest", corrupt.Message);

        // Re-save under the same version with valid but different weights: refused, the stored bytes stay.
        var manifest = File.ReadAllText(Path.Combine(bundle, ModelBundle.ManifestFile));
        File.WriteAllText(Path.Combine(bundle, ModelBundle.ManifestFile),
            manifest.Replace(first.Bundle.WeightsSha256, ModelBundle.Sha256Of(weights), StringComparison.Ordinal));
        var taken = await Assert.ThrowsAsync<BundleException>(() => Registry.PublishAsync(bundle, DateTimeOffset.UtcNow));
        Assert.Contains("already published with different weights", taken.Message);
        var listed = Assert.Single(await Registry.ListAsync(Kind));
        Assert.Equal(first.Bundle.WeightsSha256, listed.WeightsSha256);
    }
}
