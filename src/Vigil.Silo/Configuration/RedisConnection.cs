using StackExchange.Redis;

namespace Vigil.Silo.Configuration;

/// <summary>
/// One Redis connection string for everything the silo keeps in Redis (membership, grain storage, the model registry,
/// API keys): <c>Vigil:Redis:ConnectionString</c> with <c>Password</c>, <c>User</c>, <c>Ssl</c> and <c>SslHost</c>
/// folded in, so a Kubernetes secret can hold the password apart from the host list. Descriptions for logs and
/// errors never include the password.
/// </summary>
public static class RedisConnection
{
    public const string ConnectionStringKey = RedisOptions.Section + ":ConnectionString";

    /// <summary>The connection string with the separate settings applied; unchanged when there are none, or when it
    /// does not parse (the validator reports that, naming the key).</summary>
    public static string? Compose(RedisOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString) ||
            (options.Password is null && options.User is null && options.Ssl is null && options.SslHost is null))
        {
            return options.ConnectionString;
        }

        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(options.ConnectionString);
        }
        catch (ArgumentException)
        {
            return options.ConnectionString;
        }

        if (!string.IsNullOrEmpty(options.Password)) parsed.Password = options.Password;
        if (!string.IsNullOrEmpty(options.User)) parsed.User = options.User;
        if (options.Ssl is { } ssl) parsed.Ssl = ssl;
        if (!string.IsNullOrEmpty(options.SslHost)) parsed.SslHost = options.SslHost;
        return parsed.ToString(includePassword: true);
    }

    /// <summary>The endpoints and TLS flag, for messages: never the password.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var parsed = ConfigurationOptions.Parse(connectionString);
            return $"{string.Join(",", parsed.EndPoints.Select(EndPointText))}{(parsed.Ssl ? " (TLS)" : "")}";
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }

    /// <summary>
    /// Connects, failing with one clear line (endpoints, what went wrong, which keys to check) instead of
    /// StackExchange.Redis' multi-line message.
    /// </summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString, TimeSpan timeout)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException e)
        {
            throw new InvalidOperationException(Explain(connectionString, e), e);
        }
    }

    /// <summary>One line naming the endpoints and the likely fix.</summary>
    public static string Explain(string connectionString, RedisConnectionException e) => Explain(e, $"Redis at {Describe(connectionString)}");

    /// <summary>The same line where the connection string is not at hand (the silo's last-chance handler).</summary>
    public static string Explain(RedisConnectionException e) => Explain(e, "Redis");

    /// <summary>The Redis connection failure that stopped the host, however deep Orleans wrapped it.</summary>
    public static RedisConnectionException? FindFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is RedisConnectionException redis) return redis;
            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(FindFailure).FirstOrDefault(f => f is not null);
            }
        }

        return null;
    }

    private static string Explain(RedisConnectionException e, string where)
    {
        var text = e.ToString();
        if (e.FailureType == ConnectionFailureType.AuthenticationFailure ||
            text.Contains("NOAUTH", StringComparison.Ordinal) || text.Contains("WRONGPASS", StringComparison.Ordinal))
        {
            return $"{where} refused the credentials: set {RedisOptions.Section}:Password (or password= in {ConnectionStringKey}) to the server's password.";
        }

        return $"Could not connect to {where} ({e.FailureType}): check {ConnectionStringKey}" +
               $", {RedisOptions.Section}:Ssl and that the server is reachable.";
    }

    private static string EndPointText(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "?",
    };
}
