using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Vigil.Contracts;
using Vigil.Detectors.Bundles;
using Vigil.Grains.Models;
using Vigil.Grains.Tests.Support;

namespace Vigil.Grains.Tests;

/// <summary>
/// A silo configured with <c>Vigil:Models:Source=Redis</c> and the real bundle loader: a bundle published to a real
/// redis-server is scored with, a newer one is hot-swapped in, a corrupted one is refused while the previous serves.
/// </summary>
public sealed class RedisModelRegistryClusterTests
{
    private const string Kind = RegistryBundles.Kind;

    [Fact]
    public async Task Published_bundles_are_scored_with_hot_swapped_and_a_corrupted_one_never_replaces_the_serving_one()
    {
        await using var redis = await RegistryRedisFixture.StartWithRetryAsync();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        using var bundles = new RegistryBundles();
        var mirror = Directory.CreateTempSubdirectory("vigil-registry-silo-").FullName;
        var registry = new RedisBundleRegistry(connection.GetDatabase());
        await registry.PublishAsync(bundles.Bundle("20261122100000"), DateTimeOffset.UtcNow);

        try
        {
            await using var cluster = await VigilTestCluster.StartAsync(new()
            {
                ["Vigil:Models:Source"] = "Redis",
                ["Vigil:Models:Path"] = mirror,
                ["Vigil:Models:RefreshSeconds"] = "0.2",
                ["Vigil:Redis:ConnectionString"] = redis.ConnectionString,
                ["Vigil:Silo:Device"] = "cpu",
            }, models: null);
            var catalog = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.Silos[0].SiloAddress).GetRequiredService<IModelCatalog>();
            var redisCatalog = Assert.IsType<RedisModelCatalog>(catalog);
            var model = cluster.Client.GetGrain<IModelGrain>(GrainKeys.ForModel(Kind, GrainKeys.LatestVersion, 0));

            var info = await model.GetInfoAsync();
            Assert.Equal("20261122100000", info.Version);
            var window = Enumerable.Range(0, info.InputLength * info.Channels).Select(i => MathF.Sin(i / 5f)).ToArray();
            var first = await model.ScoreSeriesAsync(new SeriesScoreRequest("s1", window));
            Assert.Equal("20261122100000", first.Version);
            Assert.True(float.IsFinite(first.RawError) && first.RawError >= 0);

            await registry.PublishAsync(bundles.Bundle("20261122110000"), DateTimeOffset.UtcNow);
            await WaitUntil(() => Task.FromResult(redisCatalog.FindLatest(Kind)?.Version == "20261122110000"));
            // RefreshAsync is what the grain's own timer calls; calling it here surfaces a failed swap as its exception.
            await WaitUntil(async () => (await model.RefreshAsync()).Version == "20261122110000");
            var swapped = await model.ScoreSeriesAsync(new SeriesScoreRequest("s1", window));
            Assert.Equal("20261122110000", swapped.Version);
            Assert.Equal(first.RawError, swapped.RawError, 4); // same weights under a new version

            await registry.PublishAsync(bundles.Bundle("20261122120000"), DateTimeOffset.UtcNow);
            await RegistryBundles.CorruptWeightsAsync(connection.GetDatabase(), Kind, "20261122120000");
            await WaitUntil(() => Task.FromResult(redisCatalog.Refused.ContainsKey($"{Kind}/20261122120000")));
            // Give the model grain several refresh periods to (wrongly) pick it up.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Equal("20261122110000", (await model.GetInfoAsync()).Version);
            Assert.Equal("20261122110000", (await model.ScoreSeriesAsync(new SeriesScoreRequest("s1", window))).Version);
            Assert.False(Directory.Exists(Path.Combine(mirror, Kind, "20261122120000")));
        }
        finally
        {
            Directory.Delete(mirror, recursive: true);
        }
    }

    [Fact]
    public async Task A_silo_with_the_redis_source_and_no_redis_connection_string_does_not_start()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => VigilTestCluster.StartAsync(new()
        {
            ["Vigil:Models:Source"] = "Redis",
        }, models: null));
        Assert.Contains("Vigil:Redis:ConnectionString is required when Vigil:Models:Source is Redis", failure.ToString());
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 60 s");
            await Task.Delay(50);
        }
    }
}
