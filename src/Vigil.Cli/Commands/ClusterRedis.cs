using StackExchange.Redis;
using Vigil.Silo.Configuration;

namespace Vigil.Cli.Commands;

/// <summary>
/// The cluster's Redis as the silos reach it, for the operator commands (<c>vigil keys</c>, <c>vigil models</c>): the
/// connection string from <c>--redis</c> (or the silos' <c>Vigil__Redis__ConnectionString</c>), with the silos' separate
/// <c>Vigil__Redis__Password</c>, <c>User</c>, <c>Ssl</c> and <c>SslHost</c> variables applied the same way, so a
/// shell configured like a silo (e.g. from the same Kubernetes secret) needs no password on the command line.
/// </summary>
internal static class ClusterRedis
{
    public const string ConnectionStringEnvironment = "Vigil__Redis__ConnectionString";
    public const string PasswordEnvironment = "Vigil__Redis__Password";
    private const string UserEnvironment = "Vigil__Redis__User";
    private const string SslEnvironment = "Vigil__Redis__Ssl";
    private const string SslHostEnvironment = "Vigil__Redis__SslHost";

    /// <summary>The connection string to use: <paramref name="given"/>, else the environment's; null when neither.</summary>
    public static string? Compose(string? given, bool fallBackToEnvironment)
    {
        var connectionString = !string.IsNullOrWhiteSpace(given) ? given
            : fallBackToEnvironment ? Environment.GetEnvironmentVariable(ConnectionStringEnvironment) : null;
        if (string.IsNullOrWhiteSpace(connectionString)) return null;
        try
        {
            ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException)
        {
            throw new CliUserException("--redis is not a valid StackExchange.Redis connection string (e.g. host:6379,password=...).");
        }

        bool? ssl = null;
        if (Variable(SslEnvironment) is { } sslText)
        {
            ssl = bool.TryParse(sslText, out var parsed) ? parsed
                : throw new CliUserException($"{SslEnvironment} must be true or false (is '{sslText}').");
        }
        return RedisConnection.Compose(new RedisOptions
        {
            ConnectionString = connectionString,
            Password = Variable(PasswordEnvironment),
            User = Variable(UserEnvironment),
            Ssl = ssl,
            SslHost = Variable(SslHostEnvironment),
        });
    }

    /// <summary>Connects, or fails with one line naming the endpoints and the variable to check (never the password).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        try
        {
            return await RedisConnection.ConnectAsync(connectionString, TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException e) when (e.InnerException is RedisConnectionException)
        {
            throw new CliUserException(ForShell(e.Message));
        }
    }

    /// <summary>A silo-side explanation, with the configuration keys in the environment form a shell sets.</summary>
    public static string ForShell(string message) => message
        .Replace($"{RedisOptions.Section}:Password", PasswordEnvironment, StringComparison.Ordinal)
        .Replace(RedisConnection.ConnectionStringKey, $"--redis (or {ConnectionStringEnvironment})", StringComparison.Ordinal)
        .Replace($"{RedisOptions.Section}:Ssl", SslEnvironment, StringComparison.Ordinal);

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
