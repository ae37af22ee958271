using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vigil.Silo.Tests;

/// <summary>The Orleans Dashboard answers on /dashboard only when <c>Vigil:Dashboard:Enabled</c> is true.</summary>
public sealed class DashboardTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Dashboard_answers_only_when_switched_on(bool enabled)
    {
        var app = SiloApp.Build(
        [
            "--Vigil:Http:Urls=http://127.0.0.1:0",
            $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
            $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
            $"--Vigil:Clustering:ClusterId=dashboard-tests-{Guid.NewGuid():N}",
            $"--Vigil:Models:Path={Path.Combine(SiloFixture.RepoRoot(), "models")}",
            $"--Vigil:Dashboard:Enabled={enabled}",
            $"--Vigil:Auth:OperatorKey={SiloFixture.OperatorKey}",
            "--Logging:LogLevel:Default=Warning",
            "--simulate", "0",
        ]);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Add(Vigil.Access.ApiKeyAuthenticator.Header, SiloFixture.OperatorKey);
            using var page = await client.GetAsync("/dashboard");
            var body = await page.Content.ReadAsStringAsync();
            if (enabled)
            {
                Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET /dashboard: {(int)page.StatusCode} {body}");
                Assert.Contains("<html", body, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            }
            // The API is unaffected either way.
            using var health = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public void A_switch_that_is_not_a_boolean_is_refused_naming_the_key()
    {
        var e = Assert.Throws<OptionsValidationException>(() => SiloApp.Build(["--Vigil:Dashboard:Enabled=yes please", "--simulate", "0"]));
        Assert.Contains("Vigil:Dashboard:Enabled", string.Join(" ", e.Failures));
    }
}
