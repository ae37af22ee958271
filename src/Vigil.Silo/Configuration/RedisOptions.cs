namespace Vigil.Silo.Configuration;

/// <summary><c>Vigil:Redis</c>: membership table and grain storage in cluster modes.</summary>
public sealed class RedisOptions
{
    public const string Section = "Vigil:Redis";

    /// <summary>StackExchange.Redis form, e.g. <c>redis:6379,password=...,ssl=true</c>.</summary>
    public string? ConnectionString { get; set; }
}
