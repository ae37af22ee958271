using System.Net;
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
            .. LoopbackSilo.Args("dashboard-tests"),
            $"--Vigil:Dashboard:Enabled={enabled}",
            $"--Vigil:Auth:OperatorKey={SiloFixture.OperatorKey}",
            "--simulate", "0",
        ]);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(LoopbackSilo.Address(app)), Timeout = TimeSpan.FromSeconds(60) };
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
