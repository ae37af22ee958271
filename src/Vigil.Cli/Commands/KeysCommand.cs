using System.CommandLine;
using Vigil.Access;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil keys create|revoke|list</c>: API keys for one home or for operators. The key is printed once, at creation;
/// only its SHA-256 is stored (in the key file the embedded silo reads, or in Redis for a cluster).
/// </summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var file = new Option<string?>("--file") { Description = $"Key file (default {ApiKeyStores.DefaultFilePath()})." };
        var redis = new Option<string?>("--redis")
        {
            Description = $"Redis connection string: store keys in the cluster's Redis instead of a file (a password from ${ClusterRedis.PasswordEnvironment} is added, as the silos do).",
        };

        var home = new Option<string?>("--home") { Description = "The one home this key may read and write." };
        var isOperator = new Option<bool>("--operator") { Description = "An operator key: every home and the cluster-wide routes." };
        var create = new Command("create", "Create a key and print it (once).") { home, isOperator, file, redis };
        create.SetAction(async (parse, ct) =>
        {
            var homeId = parse.GetValue(home);
            bool op = parse.GetValue(isOperator);
            if (op == (homeId is not null))
                throw new CliUserException("give exactly one of --home <id> or --operator.");
            if (homeId is not null && (homeId.Length is 0 or > 128 || homeId.Contains('/')))
                throw new CliUserException($"--home '{homeId}' is not a valid home id (1–128 characters, no '/').");
            var store = await OpenStoreAsync(parse.GetValue(redis), parse.GetValue(file));
            var (key, record) = ApiKeyFormat.Create(homeId, DateTimeOffset.UtcNow);
            await store.AddAsync(record, ct);
            Console.WriteLine(key);
            await Console.Error.WriteLineAsync(
                $"created key {record.Id} for {(record.IsOperator ? "operators" : $"home '{record.Home}'")}; send it as header {ApiKeyAuthenticator.Header}. It is not shown again.");
            return 0;
        });

        var id = new Argument<string>("id") { Description = "The key's id (the 12 hex characters after vk_) or the whole key." };
        var revoke = new Command("revoke", "Revoke a key; every silo refuses it from then on.") { id, file, redis };
        revoke.SetAction(async (parse, ct) =>
        {
            var given = parse.GetValue(id)!;
            var keyId = ApiKeyFormat.TryParse(given, out var parsed, out _) ? parsed : given;
            var store = await OpenStoreAsync(parse.GetValue(redis), parse.GetValue(file));
            if (!await store.RevokeAsync(keyId, DateTimeOffset.UtcNow, ct))
                throw new CliUserException($"no key with id '{keyId}'.");
            Console.WriteLine($"revoked {keyId}");
            return 0;
        });

        var list = new Command("list", "List keys (ids, scopes, state; never secrets).") { file, redis };
        list.SetAction(async (parse, ct) =>
        {
            var store = await OpenStoreAsync(parse.GetValue(redis), parse.GetValue(file));
            foreach (var r in await store.ListAsync(ct))
                Console.WriteLine($"{r.Id}  {(r.IsOperator ? "operator" : "home " + r.Home),-24}  created {r.Created:u}  {(r.IsActive ? "active" : $"revoked {r.Revoked:u}")}");
            return 0;
        });

        return new Command("keys", "Manage API keys.") { create, revoke, list };
    }

    /// <summary>The key file, or the cluster's Redis with the settings the silos use; a refused connection is one line.</summary>
    private static async Task<IApiKeyStore> OpenStoreAsync(string? redis, string? file)
    {
        if (ClusterRedis.Compose(redis, fallBackToEnvironment: false) is not { } connection)
            return await ApiKeyStores.OpenAsync(null, file);
        try
        {
            return await ApiKeyStores.OpenAsync(connection, null);
        }
        catch (StackExchange.Redis.RedisConnectionException e)
        {
            throw new CliUserException(ClusterRedis.ForShell(Vigil.Silo.Configuration.RedisConnection.Explain(connection, e)));
        }
    }
}
