using StackExchange.Redis;
using Vigil.Access;
using Vigil.Silo.Configuration;

namespace Vigil.Silo.Access;

/// <summary>Registers access control from <c>Vigil:Auth</c> and puts its middleware in front of every endpoint.</summary>
public static class AccessHosting
{
    /// <summary>How long the start-up check waits for the Redis key store.</summary>
    private static readonly TimeSpan RedisConnectTimeout = TimeSpan.FromSeconds(10);

    public static WebApplicationBuilder AddVigilAccess(this WebApplicationBuilder builder, HostSettings settings)
    {
        var options = AuthOptions.Read(builder.Configuration, settings);
        var credentials = AccessCredentials.From(options);
        var services = builder.Services;
        services.AddSingleton(credentials);
        var embedded = settings.Clustering.Mode == ClusteringMode.Localhost;
        services.AddHostedService(sp => new AccessBanner(credentials, sp.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>(),
            sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<AccessBanner>>(), embedded));
        if (!options.Enabled)
        {
            return builder;
        }

        if (options.Store == KeyStoreKind.Redis)
        {
            var connection = settings.Redis.ConnectionString!;
            // A factory, not an instance: the container then disposes the connection when the host stops.
            services.AddSingleton(_ => new RedisKeyStoreConnection(connection));
            services.AddHostedService(sp => sp.GetRequiredService<RedisKeyStoreConnection>());
            services.AddKeyedSingleton<IApiKeyStore>(StoreKey, (sp, _) => new RedisApiKeyStore(sp.GetRequiredService<RedisKeyStoreConnection>().Multiplexer));
        }
        else
        {
            services.AddKeyedSingleton<IApiKeyStore>(StoreKey, OpenKeyFile(options.KeyFile));
        }

        services.AddSingleton(sp => new CachedApiKeyStore(sp.GetRequiredKeyedService<IApiKeyStore>(StoreKey), options.Cache));
        services.AddSingleton(sp => new ApiKeyAuthenticator(new OperatorKeyStore(credentials.OperatorRecord, sp.GetRequiredService<CachedApiKeyStore>())));
        return builder;
    }

    public static WebApplication UseVigilAccess(this WebApplication app)
    {
        if (app.Services.GetRequiredService<AccessCredentials>().Enabled)
        {
            app.UseMiddleware<AccessControlMiddleware>();
        }

        return app;
    }

    private const string StoreKey = "vigil-keys";

    /// <summary>The key file, read once now: a damaged file stops the silo naming it, instead of refusing every key later.</summary>
    private static FileApiKeyStore OpenKeyFile(string path)
    {
        var store = new FileApiKeyStore(path);
        try
        {
            store.ListAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(AuthOptions.Section, typeof(AuthOptions),
                [$"{AuthOptions.Section}:KeyFile '{path}' cannot be read: {e.Message}"]);
        }

        return store;
    }

    /// <summary>
    /// The Redis key store's connection, made when the silo starts so a wrong password or an unreachable server stops
    /// it with one clear line instead of failing every request later.
    /// </summary>
    internal sealed class RedisKeyStoreConnection(string connectionString) : IHostedService, IAsyncDisposable
    {
        private ConnectionMultiplexer? _multiplexer;

        public IConnectionMultiplexer Multiplexer =>
            _multiplexer ?? throw new InvalidOperationException("The Redis key store is used before the silo started.");

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var multiplexer = await RedisConnection.ConnectAsync(connectionString, RedisConnectTimeout);
            try
            {
                // A server that requires a password may still accept the connection and refuse the first command.
                await multiplexer.GetDatabase().PingAsync();
            }
            catch (RedisException e)
            {
                await multiplexer.DisposeAsync();
                throw new InvalidOperationException(e is RedisConnectionException c
                    ? RedisConnection.Explain(connectionString, c)
                    : $"Redis at {RedisConnection.Describe(connectionString)} refused the key store's first command ({Redact(e.Message)}): check {RedisOptions.Section}:Password.", e);
            }

            _multiplexer = multiplexer;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            if (_multiplexer is not null)
            {
                await _multiplexer.DisposeAsync();
            }
        }

        /// <summary>Server error replies (NOAUTH, WRONGPASS) carry no secret; cut them short all the same.</summary>
        private static string Redact(string message) => message.Length <= 120 ? message : message[..120];
    }
}
