using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Access;
using Vigil.Silo.Access;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests;

/// <summary><c>Vigil:Auth</c> from configuration: bad values stop the silo naming the key (never echoing a key), and
/// <c>--auth off</c> opens every route.</summary>
public sealed class AccessSettingsTests
{
    private static readonly string[] Base = ["--simulate", "0", "--Logging:LogLevel:Default=Warning"];

    private static OptionsValidationException Refused(params string[] args) =>
        Assert.Throws<OptionsValidationException>(() => SiloApp.Build([.. Base, .. args]));

    [Fact]
    public void A_malformed_operator_key_is_refused_naming_the_key_without_echoing_it()
    {
        const string secretish = "not-a-key-but-maybe-someones-password";
        var e = Refused($"--Vigil:Auth:OperatorKey={secretish}");
        var failure = Assert.Single(e.Failures);
        Assert.Contains(AuthOptions.OperatorKeyKey, failure);
        Assert.DoesNotContain(secretish, failure);
    }

    [Fact]
    public void An_operator_key_with_a_short_secret_is_refused()
    {
        var e = Refused("--Vigil:Auth:OperatorKey=vk_0123456789ab_short-secret");
        Assert.Contains("at least 32", Assert.Single(e.Failures));
        Assert.DoesNotContain("short-secret", Assert.Single(e.Failures));
    }

    [Theory]
    [InlineData("--auth", "maybe", "Vigil:Auth:Enabled")]
    [InlineData("--Vigil:Auth:Store=Postgres", null, "Vigil:Auth:Store")]
    [InlineData("--Vigil:Auth:CacheSeconds=600", null, "Vigil:Auth:CacheSeconds")]
    [InlineData("--Vigil:Auth:Store=Redis", null, "Vigil:Redis:ConnectionString")]
    public void Bad_auth_settings_are_refused_naming_the_key(string arg, string? value, string named)
    {
        var e = value is null ? Refused(arg) : Refused(arg, value);
        Assert.Contains(e.Failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    [Fact]
    public void A_damaged_key_file_stops_the_silo_naming_the_file()
    {
        var folder = Directory.CreateTempSubdirectory("vigil-bad-keys-").FullName;
        try
        {
            var file = Path.Combine(folder, "keys.json");
            File.WriteAllText(file, "{ not json");
            var failure = Assert.Single(Refused($"--Vigil:Auth:KeyFile={file}").Failures);
            Assert.Contains("Vigil:Auth:KeyFile", failure);
            Assert.Contains(file, failure);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Credentials_never_print_the_operator_key()
    {
        await using var app = SiloApp.Build([.. Base, $"--Vigil:Auth:OperatorKey={SiloFixture.OperatorKey}"]);
        var credentials = app.Services.GetRequiredService<AccessCredentials>();
        Assert.Equal(SiloFixture.OperatorKey, credentials.OperatorKey);
        Assert.DoesNotContain(SiloFixture.OperatorKey, credentials.ToString());
        Assert.DoesNotContain(SiloFixture.OperatorKey, credentials.Options.ToString());
    }

    [Theory]
    [InlineData("--auth", "off")]
    [InlineData("--Vigil:Auth:Enabled=false", null)]
    public async Task Both_switches_turn_auth_off(string arg, string? value)
    {
        await using var app = SiloApp.Build(value is null ? [.. Base, arg] : [.. Base, arg, value]);
        Assert.False(app.Services.GetRequiredService<AccessCredentials>().Enabled);
        Assert.Null(app.Services.GetRequiredService<AccessCredentials>().OperatorKey);
    }

    [Fact]
    public async Task With_auth_off_every_route_answers_without_a_key()
    {
        var app = SiloApp.Build(
        [
            "--Vigil:Http:Urls=http://127.0.0.1:0",
            $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
            $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
            $"--Vigil:Clustering:ClusterId=auth-off-{Guid.NewGuid():N}",
            $"--Vigil:Models:Path={TestRepo.Models}",
            "--Logging:LogLevel:Default=Warning",
            "--simulate", "0",
            "--auth", "off",
        ]);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            var home = UniqueId("open-home");
            var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
            await AssertJsonAsync(await client.PostAsync($"/v1/homes/{home}/devices/temperature/readings", Json(Readings(start, 3))), HttpStatusCode.Accepted);
            await AssertJsonAsync(await client.GetAsync($"/v1/homes/{home}/devices/temperature"), HttpStatusCode.OK);
            await AssertJsonAsync(await client.GetAsync($"/v1/homes/{home}/alerts"), HttpStatusCode.OK);
            await AssertJsonAsync(await client.PostNdjsonAsync(
                $"{{\"home\":\"{home}\",\"device\":\"power\",\"t\":\"{start:yyyy-MM-ddTHH:mm:ssZ}\",\"v\":1}}\n"), HttpStatusCode.Accepted);
            using var stream = await client.GetAsync("/v1/alerts/stream", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            // A key sent anyway is ignored, not checked.
            using var withGarbage = new HttpRequestMessage(HttpMethod.Get, $"/v1/homes/{home}/alerts");
            withGarbage.Headers.Add(ApiKeyAuthenticator.Header, "garbage");
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(withGarbage)).StatusCode);
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }
}
