using StackExchange.Redis;

namespace Vigil.Access.Tests;

/// <summary>The same behaviour from both stores: the file one and a real Redis.</summary>
public abstract class ApiKeyStoreContract
{
    protected abstract Task<IApiKeyStore> StoreAsync();

    [Fact]
    public async Task Home_keys_reach_their_home_only_and_operator_keys_every_home()
    {
        var store = await StoreAsync();
        var auth = new ApiKeyAuthenticator(store);
        var (homeKey, homeRecord) = ApiKeyFormat.Create("home-a", DateTimeOffset.UtcNow);
        var (operatorKey, operatorRecord) = ApiKeyFormat.Create(null, DateTimeOffset.UtcNow);
        await store.AddAsync(homeRecord);
        await store.AddAsync(operatorRecord);

        var home = await auth.AuthenticateAsync(homeKey);
        Assert.NotNull(home);
        Assert.True(home.MayAccess("home-a"));
        Assert.False(home.MayAccess("home-b"));
        Assert.False(home.IsOperator);

        var op = await auth.AuthenticateAsync(operatorKey);
        Assert.NotNull(op);
        Assert.True(op.IsOperator);
        Assert.True(op.MayAccess("home-b"));
    }

    [Fact]
    public async Task A_revoked_key_no_longer_authenticates()
    {
        var store = await StoreAsync();
        var (key, record) = ApiKeyFormat.Create("home-a", DateTimeOffset.UtcNow);
        await store.AddAsync(record);
        Assert.True(await store.RevokeAsync(record.Id, DateTimeOffset.UtcNow));
        Assert.Null(await new ApiKeyAuthenticator(store).AuthenticateAsync(key));
        Assert.False(await store.RevokeAsync("000000000000", DateTimeOffset.UtcNow));
        Assert.Contains(await store.ListAsync(), r => r.Id == record.Id && !r.IsActive);
    }

    [Fact]
    public async Task Unknown_and_forged_keys_do_not_authenticate()
    {
        var store = await StoreAsync();
        var (_, record) = ApiKeyFormat.Create("home-a", DateTimeOffset.UtcNow);
        await store.AddAsync(record);
        var auth = new ApiKeyAuthenticator(store);
        Assert.Null(await auth.AuthenticateAsync($"vk_{record.Id}_forgedsecretforgedsecret"));
        Assert.Null(await auth.AuthenticateAsync(ApiKeyFormat.Create("home-a", DateTimeOffset.UtcNow).Key));
    }
}

public sealed class FileApiKeyStoreTests : ApiKeyStoreContract, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vigil-keys-").FullName;

    protected override Task<IApiKeyStore> StoreAsync() =>
        Task.FromResult<IApiKeyStore>(new FileApiKeyStore(Path.Combine(_folder, "keys.json")));

    [Fact]
    public async Task Another_process_sees_a_revocation_and_the_file_holds_no_secret()
    {
        var path = Path.Combine(_folder, "shared.json");
        var writer = new FileApiKeyStore(path);
        var reader = new FileApiKeyStore(path);
        var (key, record) = ApiKeyFormat.Create("home-a", DateTimeOffset.UtcNow);
        await writer.AddAsync(record);
        Assert.NotNull(await new ApiKeyAuthenticator(reader).AuthenticateAsync(key));

        await Task.Delay(20); // file timestamps need to move for the reader's cache to notice
        await writer.RevokeAsync(record.Id, DateTimeOffset.UtcNow);
        Assert.Null(await new ApiKeyAuthenticator(reader).AuthenticateAsync(key));
        ApiKeyFormat.TryParse(key, out _, out var secret);
        Assert.DoesNotContain(secret, await File.ReadAllTextAsync(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_corrupt_file_is_reported_with_its_path()
    {
        var path = Path.Combine(_folder, "bad.json");
        await File.WriteAllTextAsync(path, "{ not json");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => new FileApiKeyStore(path).ListAsync());
        Assert.Contains(path, e.Message);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

public sealed class RedisApiKeyStoreTests : ApiKeyStoreContract, IAsyncLifetime
{
    private RedisServer? _redis;
    private ConnectionMultiplexer? _connection;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    protected override Task<IApiKeyStore> StoreAsync() =>
        Task.FromResult<IApiKeyStore>(new RedisApiKeyStore(_connection!, $"vigil:apikeys:{Guid.NewGuid():N}"));

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
    }
}
