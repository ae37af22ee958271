using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Vigil.Silo.Configuration;

namespace Vigil.Silo.Tests;

public sealed class HostSettingsTests
{
    private static HostSettings Read(params (string Key, string Value)[] values) =>
        HostSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    private static string Failure(params (string Key, string Value)[] values) =>
        string.Join("\n", Assert.Throws<OptionsValidationException>(() => Read(values)).Failures);

    [Fact]
    public void No_configuration_is_the_embedded_default()
    {
        var settings = Read();
        Assert.Equal(ClusteringMode.Localhost, settings.Clustering.Mode);
        Assert.Equal("vigil", settings.Clustering.ClusterId);
        Assert.Equal("http://127.0.0.1:5080", settings.Http.Urls);
        Assert.Equal((11111, 30000), (settings.Orleans.SiloPort, settings.Orleans.GatewayPort));
        Assert.True(settings.Silo.EffectiveAccelerator(settings.Clustering.Mode));
        Assert.Equal(20, settings.Simulator.EffectiveHomes(settings.Clustering.Mode));
    }

    [Fact]
    public void Cluster_modes_default_to_no_accelerator_and_no_simulator()
    {
        var settings = Read(("Vigil:Clustering:Mode", "Redis"), ("Vigil:Redis:ConnectionString", "127.0.0.1:6379"));
        Assert.False(settings.Silo.EffectiveAccelerator(settings.Clustering.Mode));
        Assert.Equal(0, settings.Simulator.EffectiveHomes(settings.Clustering.Mode));
    }

    [Theory]
    [InlineData("Redis")]
    [InlineData("Kubernetes")]
    public void Redis_modes_need_a_connection_string(string mode) =>
        Assert.Contains("Vigil:Redis:ConnectionString is required when Vigil:Clustering:Mode is " + mode, Failure(("Vigil:Clustering:Mode", mode)));

    [Fact]
    public void An_unknown_mode_names_the_key() =>
        Assert.Contains("Vigil:Clustering:Mode", Failure(("Vigil:Clustering:Mode", "Swarm")));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var failure = Failure(
            ("Vigil:Orleans:SiloPort", "0"),
            ("Vigil:Orleans:GatewayPort", "70000"),
            ("Vigil:Silo:Device", "tpu"),
            ("Vigil:Http:Urls", "ftp://example"),
            ("Vigil:Simulator:Homes", "-1"),
            ("Vigil:Orleans:AdvertisedIP", "not-an-ip"));
        Assert.Contains("Vigil:Orleans:SiloPort must be a TCP port", failure);
        Assert.Contains("Vigil:Orleans:GatewayPort must be a TCP port", failure);
        Assert.Contains("Vigil:Silo:Device must be cpu, cuda or auto (got 'tpu')", failure);
        Assert.Contains("Vigil:Http:Urls entry 'ftp://example'", failure);
        Assert.Contains("Vigil:Simulator:Homes (--simulate)", failure);
        Assert.Contains("Vigil:Orleans:AdvertisedIP must be an IP address", failure);
    }

    [Fact]
    public void A_bad_redis_connection_string_does_not_echo_it() =>
        Assert.DoesNotContain("hunter2", Failure(("Vigil:Clustering:Mode", "Redis"), ("Vigil:Redis:ConnectionString", "127.0.0.1:6379,password=hunter2,nonsense=")));

    [Fact]
    public void Kestrel_wildcards_are_accepted() =>
        Assert.Equal("http://0.0.0.0:8080;http://*:8081", Read(("Vigil:Http:Urls", "http://0.0.0.0:8080;http://*:8081")).Http.Urls);
}
