using System.CommandLine;
using StackExchange.Redis;
using Vigil.Detectors.Bundles;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil models publish|list</c>: the model registry in a cluster's Redis. Silos started with
/// <c>Vigil:Models:Source=Redis</c> mirror each kind's newest verified version and hot-swap to it.
/// </summary>
public static class ModelsCommand
{
    /// <summary>The silo's own key in environment form, so an operator shell configured like a silo needs no flag.</summary>
    private const string RedisEnvironment = ClusterRedis.ConnectionStringEnvironment;

    public static Command Create()
    {
        var redis = new Option<string?>("--redis")
        {
            Description = $"Redis connection string of the cluster (the silos' Vigil:Redis:ConnectionString; default: ${RedisEnvironment}).",
        };
        var prefix = new Option<string>("--prefix")
        {
            Description = "Key prefix of the registry.",
            DefaultValueFactory = _ => RedisBundleRegistryLayout.DefaultPrefix,
        };

        var bundle = new Argument<DirectoryInfo>("bundle") { Description = "Bundle folder (manifest.json and its weights), e.g. models/lstm-dcnn." };
        var publish = new Command("publish", "Verify a bundle and publish it to the registry; silos pick it up and hot-swap to it.") { bundle, redis, prefix };
        publish.SetAction(async (parse, _) =>
        {
            var dir = parse.GetValue(bundle)!;
            if (!dir.Exists)
                throw new CliUserException($"'{dir.FullName}' does not exist.");
            var (connection, endpoint) = await ConnectAsync(parse.GetValue(redis));
            await using (connection)
            {
                var registry = new RedisBundleRegistry(connection.GetDatabase(), new RedisBundleRegistryLayout(parse.GetValue(prefix)!));
                PublishOutcome outcome;
                try
                {
                    outcome = await registry.PublishAsync(dir.FullName, DateTimeOffset.UtcNow);
                }
                catch (BundleException e)
                {
                    throw new CliUserException(e.Message, e);
                }

                var b = outcome.Bundle;
                Console.WriteLine(outcome.AlreadyPublished
                    ? $"already published: {b.Kind} {b.Version} ({b.WeightsBytes:N0} bytes, sha256 {b.WeightsSha256}) is in {endpoint} with these exact bytes; nothing changed"
                    : $"published {b.Kind} {b.Version} ({b.WeightsBytes:N0} bytes of weights, sha256 {b.WeightsSha256}) to {endpoint} under {registry.Layout.Bundle(b.Kind, b.Version)}");
                if (!outcome.AlreadyPublished)
                {
                    var newest = (await registry.VersionsAsync(b.Kind))[0];
                    await Console.Error.WriteLineAsync(newest == b.Version
                        ? $"silos with Vigil:Models:Source=Redis switch '{b.Kind}' to {b.Version} within about twice Vigil:Models:RefreshSeconds."
                        : $"note: {b.Kind} {newest} is newer, so silos keep serving it; {b.Version} serves only grains that ask for it by version.");
                }
            }
            return 0;
        });

        var kind = new Option<string?>("--kind") { Description = "Only this detector kind (lstm-dcnn, autoencoder, frame-cnn)." };
        var list = new Command("list", "List published bundles, newest first per kind.") { kind, redis, prefix };
        list.SetAction(async (parse, _) =>
        {
            var (connection, endpoint) = await ConnectAsync(parse.GetValue(redis));
            await using (connection)
            {
                var registry = new RedisBundleRegistry(connection.GetDatabase(), new RedisBundleRegistryLayout(parse.GetValue(prefix)!));
                var bundles = await registry.ListAsync(parse.GetValue(kind));
                if (bundles.Count == 0)
                {
                    await Console.Error.WriteLineAsync($"no bundles published in {endpoint} under '{registry.Layout.Prefix}'.");
                    return 0;
                }
                Console.WriteLine($"{"kind",-12} {"version",-20} {"created",-20} {"published",-20} {"bytes",12}  sha256");
                foreach (var b in bundles)
                    Console.WriteLine($"{b.Kind,-12} {b.Version,-20} {b.Created.UtcDateTime,-20:yyyy-MM-dd HH:mm:ss} {b.Published.UtcDateTime,-20:yyyy-MM-dd HH:mm:ss} {b.WeightsBytes,12}  {b.WeightsSha256}");
            }
            return 0;
        });

        return new Command("models", "Publish model bundles to a cluster's Redis registry and list them.") { publish, list };
    }

    /// <summary>Connects with the silos' Redis settings from the environment, or fails with one line (never the password).</summary>
    private static async Task<(ConnectionMultiplexer Connection, string Endpoint)> ConnectAsync(string? given)
    {
        var connectionString = ClusterRedis.Compose(given, fallBackToEnvironment: true)
            ?? throw new CliUserException($"give --redis <connection string> (or set {RedisEnvironment}), e.g. --redis redis:6379,password=...");
        return (await ClusterRedis.ConnectAsync(connectionString), $"redis {Vigil.Silo.Configuration.RedisConnection.Describe(connectionString)}");
    }
}
