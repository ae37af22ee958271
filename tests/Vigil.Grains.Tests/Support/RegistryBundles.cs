using System.Text.Json.Nodes;
using StackExchange.Redis;
using Vigil.Detectors.Bundles;

namespace Vigil.Grains.Tests.Support;

/// <summary>Copies of the shipped autoencoder bundle under chosen versions, and a way to corrupt a published one.</summary>
internal sealed class RegistryBundles : IDisposable
{
    public const string Kind = DetectorKinds.Autoencoder;

    private readonly string root = Directory.CreateTempSubdirectory("vigil-registry-bundles-").FullName;

    /// <summary>A verified copy of <c>models/autoencoder</c> whose manifest says <paramref name="version"/> (same weights).</summary>
    public string Bundle(string version)
    {
        var dir = Path.Combine(root, version);
        Directory.CreateDirectory(dir);
        var source = Path.Combine(TestRepo.Models, Kind);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(source, ModelBundle.ManifestFile)))!;
        var weightsFile = (string)manifest["weightsFile"]!;
        File.Copy(Path.Combine(source, weightsFile), Path.Combine(dir, weightsFile), overwrite: true);
        manifest["version"] = version;
        File.WriteAllText(Path.Combine(dir, ModelBundle.ManifestFile), manifest.ToJsonString());
        ModelBundle.Open(dir, Kind); // the shipped bundle was being rewritten while we copied it: fail here, not later
        return dir;
    }

    /// <summary>Flips one byte of a published version's weights inside Redis (bit rot, a bad hand edit).</summary>
    public static async Task CorruptWeightsAsync(IDatabase redis, string kind, string version)
    {
        var key = new RedisBundleRegistryLayout().Bundle(kind, version);
        var weights = (byte[])(await redis.HashGetAsync(key, "weights"))!;
        weights[weights.Length / 2] ^= 0x5A;
        await redis.HashSetAsync(key, "weights", weights);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}

/// <summary>
/// One redis-server for a test class. Starting is retried: on this shared machine another process sometimes takes
/// the free port between <see cref="RedisServer"/> picking it and redis-server binding it, and the server exits.
/// </summary>
public sealed class RegistryRedisFixture : IAsyncLifetime
{
    internal RedisServer Server { get; private set; } = null!;

    public string ConnectionString => Server.ConnectionString;

    internal static async Task<RedisServer> StartWithRetryAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RedisServer.StartAsync();
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    public async Task InitializeAsync() => Server = await StartWithRetryAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
