namespace Vigil.Cli.Tests;

public sealed class KeysCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vigil-cli-keys-").FullName;
    private string KeyFile => Path.Combine(_folder, "keys.json");

    [Fact]
    public async Task Create_prints_a_key_once_and_stores_only_its_hash_then_revoke_marks_it()
    {
        var created = await CliHarness.RunAsync("keys", "create", "--home", "home-7", "--file", KeyFile);
        Assert.True(created.ExitCode == 0, created.StdErr);
        var key = created.StdOut.Trim();
        Assert.StartsWith("vk_", key);
        Assert.DoesNotContain(key[16..], await File.ReadAllTextAsync(KeyFile));

        var listed = await CliHarness.RunAsync("keys", "list", "--file", KeyFile);
        Assert.Contains("home home-7", listed.StdOut);
        Assert.Contains("active", listed.StdOut);

        var revoked = await CliHarness.RunAsync("keys", "revoke", key, "--file", KeyFile);
        Assert.True(revoked.ExitCode == 0, revoked.StdErr);
        Assert.Contains("revoked", (await CliHarness.RunAsync("keys", "list", "--file", KeyFile)).StdOut);
    }

    [Fact]
    public async Task Operator_keys_and_bad_arguments()
    {
        var op = await CliHarness.RunAsync("keys", "create", "--operator", "--file", KeyFile);
        Assert.Equal(0, op.ExitCode);
        Assert.Contains("operator", (await CliHarness.RunAsync("keys", "list", "--file", KeyFile)).StdOut);

        var both = await CliHarness.RunAsync("keys", "create", "--operator", "--home", "h", "--file", KeyFile);
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("exactly one of --home", both.StdErr);

        var slash = await CliHarness.RunAsync("keys", "create", "--home", "a/b", "--file", KeyFile);
        Assert.Equal(1, slash.ExitCode);
        Assert.Contains("not a valid home id", slash.StdErr);

        var unknown = await CliHarness.RunAsync("keys", "revoke", "0123456789ab", "--file", KeyFile);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no key with id", unknown.StdErr);
    }

    [Fact]
    public async Task Keys_go_to_a_password_protected_redis_and_a_missing_password_is_one_line()
    {
        var password = $"pw-{Guid.NewGuid():N}";
        await using var redis = await RedisServer.StartAsync(password);
        var created = await CliHarness.RunAsync("keys", "create", "--home", "home-9", "--redis", $"{redis.ConnectionString},password={password}");
        Assert.True(created.ExitCode == 0, created.StdErr);
        Assert.Contains("home home-9", (await CliHarness.RunAsync("keys", "list", "--redis", $"{redis.ConnectionString},password={password}")).StdOut);

        var refused = await CliHarness.RunAsync("keys", "list", "--redis", redis.ConnectionString);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("refused the credentials", refused.StdErr);
        Assert.Contains("Vigil__Redis__Password", refused.StdErr);
        Assert.Single(refused.StdErr.Trim().Split('\n'));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
