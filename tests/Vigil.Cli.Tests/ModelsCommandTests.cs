using System.Text.Json.Nodes;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil models publish|list</c> as a user runs them, against a real redis-server.</summary>
public sealed class ModelsCommandTests : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("vigil-cli-models-").FullName;
    private RedisServer redis = null!;

    public async Task InitializeAsync() => redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        await redis.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Publish_verifies_and_stores_a_bundle_list_shows_it_and_publishing_the_same_bytes_again_changes_nothing()
    {
        var bundle = ShippedAutoencoderAs("20261122100000");

        var published = await CliHarness.RunAsync("models", "publish", bundle, "--redis", redis.ConnectionString);
        Assert.True(published.ExitCode == 0, published.StdErr);
        Assert.Contains("published autoencoder 20261122100000", published.StdOut);
        Assert.Contains("vigil:models:autoencoder:20261122100000", published.StdOut);

        var again = await CliHarness.RunAsync("models", "publish", bundle, "--redis", redis.ConnectionString);
        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Contains("already published: autoencoder 20261122100000", again.StdOut);

        var newer = await CliHarness.RunAsync("models", "publish", ShippedAutoencoderAs("20261122110000"), "--redis", redis.ConnectionString);
        Assert.True(newer.ExitCode == 0, newer.StdErr);

        var listed = await CliHarness.RunAsync("models", "list", "--redis", redis.ConnectionString);
        Assert.True(listed.ExitCode == 0, listed.StdErr);
        var rows = listed.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, rows.Length); // header + two versions, newest first
        Assert.StartsWith("autoencoder  20261122110000", rows[1]);
        Assert.StartsWith("autoencoder  20261122100000", rows[2]);
        var sha = (string)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(bundle, "manifest.json")))!["weightsSha256"]!;
        Assert.EndsWith(sha, rows[2]);

        var otherKind = await CliHarness.RunAsync("models", "list", "--kind", "lstm-dcnn", "--redis", redis.ConnectionString);
        Assert.Equal(0, otherKind.ExitCode);
        Assert.Equal("", otherKind.StdOut);
        Assert.Contains("no bundles published", otherKind.StdErr);
    }

    [Fact]
    public async Task A_corrupt_bundle_is_refused_naming_the_file_and_nothing_is_published()
    {
        var bundle = ShippedAutoencoderAs("20261122100000");
        var weights = Path.Combine(bundle, "weights.bin");
        var bytes = await File.ReadAllBytesAsync(weights);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(weights, bytes);

        var refused = await CliHarness.RunAsync("models", "publish", bundle, "--redis", redis.ConnectionString);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"vigil: '{weights}' does not match its manifest", refused.StdErr);
        var listed = await CliHarness.RunAsync("models", "list", "--redis", redis.ConnectionString);
        Assert.Contains("no bundles published", listed.StdErr);
    }

    [Fact]
    public async Task A_version_taken_by_other_bytes_is_refused()
    {
        var bundle = ShippedAutoencoderAs("20261122100000");
        Assert.Equal(0, (await CliHarness.RunAsync("models", "publish", bundle, "--redis", redis.ConnectionString)).ExitCode);
        var manifestPath = Path.Combine(bundle, "manifest.json");
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!;
        manifest["threshold"]!["score"] = 0.123;
        await File.WriteAllTextAsync(manifestPath, manifest.ToJsonString());

        var taken = await CliHarness.RunAsync("models", "publish", bundle, "--redis", redis.ConnectionString);

        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("autoencoder version 20261122100000 is already published with different manifest", taken.StdErr);
        Assert.Contains(manifestPath, taken.StdErr);
    }

    [Fact]
    public async Task Missing_or_unreachable_redis_and_a_folder_that_is_not_a_bundle_are_one_line_errors()
    {
        var none = await CliHarness.RunAsync("models", "list");
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("give --redis <connection string>", none.StdErr);

        var unreachable = await CliHarness.RunAsync("models", "list", "--redis", "127.0.0.1:1,connectTimeout=500");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("Could not connect to Redis at 127.0.0.1:1", unreachable.StdErr);
        Assert.Single(unreachable.StdErr.Trim().Split('\n'));

        var empty = Directory.CreateDirectory(Path.Combine(folder, "empty")).FullName;
        var notBundle = await CliHarness.RunAsync("models", "publish", empty, "--redis", redis.ConnectionString);
        Assert.Equal(1, notBundle.ExitCode);
        Assert.Contains($"'{Path.Combine(empty, "manifest.json")}' does not exist", notBundle.StdErr);
    }

    [Fact]
    public async Task The_silos_password_variable_reaches_a_password_protected_registry()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        await using var secured = await RedisServer.StartAsync(password);

        var refused = await CliHarness.RunAsync("models", "list", "--redis", secured.ConnectionString);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused the credentials", refused.StdErr);
        Assert.Contains("Vigil__Redis__Password", refused.StdErr);
        Assert.Single(refused.StdErr.Trim().Split('\n'));

        var environment = new Dictionary<string, string>
        {
            ["Vigil__Redis__ConnectionString"] = secured.ConnectionString,
            ["Vigil__Redis__Password"] = password,
        };
        var published = await CliHarness.RunWithEnvironmentAsync(environment, "models", "publish", ShippedAutoencoderAs("20261122120000"));
        Assert.True(published.ExitCode == 0, published.StdErr);
        Assert.DoesNotContain(password, published.StdOut + published.StdErr);
        var listed = await CliHarness.RunWithEnvironmentAsync(environment, "models", "list");
        Assert.True(listed.ExitCode == 0, listed.StdErr);
        Assert.Contains("autoencoder  20261122120000", listed.StdOut);
    }

    /// <summary>A copy of the shipped autoencoder bundle whose manifest says <paramref name="version"/>.</summary>
    private string ShippedAutoencoderAs(string version)
    {
        var source = Path.Combine(TestRepo.Root, "models", "autoencoder");
        var dir = Directory.CreateDirectory(Path.Combine(folder, version)).FullName;
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "manifest.json")))!;
        File.Copy(Path.Combine(source, (string)manifest["weightsFile"]!), Path.Combine(dir, (string)manifest["weightsFile"]!));
        manifest["version"] = version;
        File.WriteAllText(Path.Combine(dir, "manifest.json"), manifest.ToJsonString());
        return dir;
    }

}
