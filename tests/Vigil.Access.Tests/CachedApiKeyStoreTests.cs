namespace Vigil.Access.Tests;

/// <summary>The silo's lookup cache: bounded in time (a revocation elsewhere shows after the TTL), immediate for its own writes.</summary>
public sealed class CachedApiKeyStoreTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; } = 1_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    /// <summary>Counts reads, so the tests see when the cache answered.</summary>
    private sealed class CountingStore(IApiKeyStore inner) : IApiKeyStore
    {
        public int Finds { get; private set; }

        public Task<ApiKeyRecord?> FindAsync(string id, CancellationToken cancellationToken = default)
        {
            Finds++;
            return inner.FindAsync(id, cancellationToken);
        }

        public Task AddAsync(ApiKeyRecord record, CancellationToken cancellationToken = default) => inner.AddAsync(record, cancellationToken);

        public Task<bool> RevokeAsync(string id, DateTimeOffset when, CancellationToken cancellationToken = default) => inner.RevokeAsync(id, when, cancellationToken);

        public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);
    }

    private static (FileApiKeyStore File, CountingStore Counting, string Folder) NewFileStore()
    {
        var folder = Directory.CreateTempSubdirectory("vigil-cache-").FullName;
        var file = new FileApiKeyStore(Path.Combine(folder, "keys.json"));
        return (file, new CountingStore(file), folder);
    }

    [Fact]
    public async Task A_revocation_made_elsewhere_shows_once_the_ttl_has_passed()
    {
        var (file, counting, folder) = NewFileStore();
        try
        {
            var clock = new ManualClock();
            var cached = new CachedApiKeyStore(counting, TimeSpan.FromSeconds(5), clock);
            var (key, record) = ApiKeyFormat.Create("home-a", DateTimeOffset.UtcNow);
            await file.AddAsync(record);
            var auth = new ApiKeyAuthenticator(cached);
            Assert.NotNull(await auth.AuthenticateAsync(key));

            // Another process revokes it in the same file.
            await new FileApiKeyStore(file.Path).RevokeAsync(record.Id, DateTimeOffset.UtcNow);
            clock.Advance(TimeSpan.FromSeconds(4.9));
            Assert.NotNull(await auth.AuthenticateAsync(key));
            Assert.Equal(1, counting.Finds);
            clock.Advance(TimeSpan.FromSeconds(0.2));
            Assert.Null(await auth.AuthenticateAsync(key));
            Assert.Equal(2, counting.Finds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Its_own_writes_are_seen_at_once_and_zero_ttl_caches_nothing()
    {
        var (file, counting, folder) = NewFileStore();
        try
        {
            var cached = new CachedApiKeyStore(counting, TimeSpan.FromSeconds(5), new ManualClock());
            var (key, record) = ApiKeyFormat.Create("home-a", DateTimeOffset.UtcNow);
            Assert.Null(await cached.FindAsync(record.Id));   // a miss is cached too...
            await cached.AddAsync(record);                      // ...but not past a write through the cache
            Assert.NotNull(await new ApiKeyAuthenticator(cached).AuthenticateAsync(key));
            Assert.True(await cached.RevokeAsync(record.Id, DateTimeOffset.UtcNow));
            Assert.Null(await new ApiKeyAuthenticator(cached).AuthenticateAsync(key));

            var uncached = new CachedApiKeyStore(counting, TimeSpan.Zero);
            var before = counting.Finds;
            await uncached.FindAsync(record.Id);
            await uncached.FindAsync(record.Id);
            Assert.Equal(before + 2, counting.Finds);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Made_up_ids_cannot_grow_the_cache_without_bound()
    {
        var (_, counting, folder) = NewFileStore();
        try
        {
            var cached = new CachedApiKeyStore(counting, TimeSpan.FromMinutes(1), new ManualClock());
            for (var i = 0; i < CachedApiKeyStore.MaxEntries * 2 + 10; i++)
            {
                await cached.FindAsync(i.ToString("x12"));
            }

            Assert.InRange(cached.Count, 1, CachedApiKeyStore.MaxEntries);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
