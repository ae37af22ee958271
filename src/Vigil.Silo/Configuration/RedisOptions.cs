namespace Vigil.Silo.Configuration;

/// <summary><c>Vigil:Redis</c>: membership table and grain storage in cluster modes.</summary>
public sealed class RedisOptions
{
    public const string Section = "Vigil:Redis";

    /// <summary>StackExchange.Redis form, e.g. <c>redis:6379,password=...,ssl=true</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Password, apart from the host list so it can come from a secret (<c>Vigil__Redis__Password</c>);
    /// wins over a <c>password=</c> in the connection string. Never logged.</summary>
    public string? Password { get; set; }

    /// <summary>Redis 6 ACL user, when the server uses ACLs.</summary>
    public string? User { get; set; }

    /// <summary>TLS to Redis. The server's certificate must chain to a trusted CA: the system store, or the bundle
    /// that the standard <c>SSL_CERT_FILE</c> variable names (for a private CA).</summary>
    public bool? Ssl { get; set; }

    /// <summary>The name in the server's certificate, when it differs from the host in the connection string.</summary>
    public string? SslHost { get; set; }
}
