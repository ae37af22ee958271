using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Vigil.Access;
using Vigil.Silo.Configuration;
using Vigil.Testing;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests;

/// <summary>
/// A real <c>redis-server --requirepass</c> (and one with TLS only): the silo's clustering, grain storage and key store
/// connect with <c>Vigil:Redis:Password</c> (kept apart from the host list); without it, or with a wrong one, they fail
/// with a clear line that shows no password.
/// </summary>
public sealed class RedisAccessTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private static string NewPassword() => $"pw-{Guid.NewGuid():N}";

    [Fact]
    public async Task The_key_store_connection_uses_the_password_and_explains_a_missing_or_wrong_one()
    {
        var password = NewPassword();
        await using var redis = await RedisServer.StartAsync(password);
        var composed = RedisConnection.Compose(new RedisOptions { ConnectionString = redis.ConnectionString, Password = password })!;
        Assert.DoesNotContain(password, RedisConnection.Describe(composed));

        await using (var connected = await RedisConnection.ConnectAsync(composed, TimeSpan.FromSeconds(5)))
        {
            var store = new RedisApiKeyStore(connected);
            var (_, record) = ApiKeyFormat.Create("h1", DateTimeOffset.UtcNow);
            await store.AddAsync(record);
            Assert.Equal("h1", (await store.FindAsync(record.Id))!.Home);
        }

        var wrong = NewPassword();
        foreach (var connection in new[] { redis.ConnectionString, $"{redis.ConnectionString},password={wrong}" })
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisConnection.ConnectAsync(connection, TimeSpan.FromSeconds(5)));
            Assert.Contains("refused the credentials", e.Message);
            Assert.Contains("Vigil:Redis:Password", e.Message);
            Assert.Contains($"127.0.0.1:{redis.Port}", e.Message);
            Assert.DoesNotContain(wrong, e.Message);
        }
    }

    [Fact]
    public void The_separate_password_wins_over_one_in_the_connection_string_and_ssl_is_folded_in()
    {
        var composed = RedisConnection.Compose(new RedisOptions
        {
            ConnectionString = "redis-a:6379,redis-b:6379,password=old",
            Password = "from-secret",
            Ssl = true,
            SslHost = "redis.internal",
        })!;
        var parsed = ConfigurationOptions.Parse(composed);
        Assert.Equal("from-secret", parsed.Password);
        Assert.True(parsed.Ssl);
        Assert.Equal("redis.internal", parsed.SslHost);
        Assert.Equal(2, parsed.EndPoints.Count);
        Assert.Equal("redis-a:6379,redis-b:6379 (TLS)", RedisConnection.Describe(composed));
        Assert.Equal("redis:6379", RedisConnection.Compose(new RedisOptions { ConnectionString = "redis:6379" }));
    }

    [Fact]
    public async Task The_composed_connection_string_is_what_the_model_registry_reads()
    {
        // Vigil.Grains' Redis model catalog reads Vigil:Redis:ConnectionString itself; the host writes the composed one back.
        await using var app = SiloApp.Build(["--simulate", "0", "--Vigil:Redis:ConnectionString=redis:6379", "--Vigil:Redis:Password=from-secret",
            "--Vigil:Redis:Ssl=true"]);
        var parsed = ConfigurationOptions.Parse(app.Configuration[RedisConnection.ConnectionStringKey]!);
        Assert.Equal("from-secret", parsed.Password);
        Assert.True(parsed.Ssl);
    }

    [Fact]
    public async Task A_silo_in_redis_mode_clusters_stores_grains_and_checks_keys_through_a_password_protected_redis()
    {
        var password = NewPassword();
        await using var redis = await RedisServer.StartAsync(password);
        var app = SiloApp.Build([.. RedisSiloArgs(redis), $"--Vigil:Redis:Password={password}", "--Vigil:Auth:CacheSeconds=1"]);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            await using var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.ConnectionString},password={password}");
            var keys = new RedisApiKeyStore(admin);
            var home = UniqueId("redis-home");
            var (homeKey, record) = ApiKeyFormat.Create(home, DateTimeOffset.UtcNow);
            await keys.AddAsync(record);

            using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticator.Header, homeKey);
            await AssertJsonAsync(await client.PostAsync($"/v1/homes/{home}/devices/temperature/readings", Json(Readings(Start, 3))), HttpStatusCode.Accepted);
            await AssertJsonAsync(await client.GetAsync($"/v1/homes/{home}/devices/temperature"), HttpStatusCode.OK);
            // Membership and grain state went to this Redis.
            var stored = admin.GetServer(admin.GetEndPoints()[0]).Keys(pattern: "*").Select(k => k.ToString()).ToList();
            Assert.Contains(stored, k => k.Contains("temperature", StringComparison.Ordinal));
            Assert.True(stored.Count > 2, string.Join(", ", stored));

            // A revocation written to Redis (as `vigil keys revoke --redis` does) reaches the silo within its cache time.
            Assert.True(await keys.RevokeAsync(record.Id, DateTimeOffset.UtcNow));
            var clock = Stopwatch.StartNew();
            HttpStatusCode status;
            do
            {
                await Task.Delay(100);
                status = (await client.GetAsync($"/v1/homes/{home}/alerts")).StatusCode;
            }
            while (status != HttpStatusCode.Unauthorized && clock.Elapsed < TimeSpan.FromSeconds(10));
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"revocation took {clock.Elapsed.TotalSeconds:F1} s with CacheSeconds=1");
        }
        finally
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_silo_with_a_wrong_redis_password_does_not_start_and_says_why_without_the_password()
    {
        await using var redis = await RedisServer.StartAsync(NewPassword());
        var wrong = NewPassword();
        await using var app = SiloApp.Build([.. RedisSiloArgs(redis), $"--Vigil:Redis:Password={wrong}"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var e = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync(timeout.Token));
        var all = e.ToString();
        Assert.DoesNotContain(wrong, all);
        // What Program prints as the silo's last line.
        var failure = RedisConnection.FindFailure(e);
        Assert.True(failure is not null, all);
        Assert.Contains("refused the credentials: set Vigil:Redis:Password", RedisConnection.Explain(failure));
    }

    [Fact]
    public async Task A_silo_process_talks_to_a_tls_only_redis_trusting_its_ca_through_SSL_CERT_FILE_and_logs_no_password()
    {
        using var certificates = TestCertificates.Create();
        var password = NewPassword();
        await using var redis = await RedisServer.StartAsync(password, (certificates.CertFile, certificates.KeyFile, certificates.CaFile));
        var port = LoopbackPorts.Next();
        var output = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestRepo.Root,
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Vigil.Silo.dll") },
        };
        foreach (var arg in RedisSiloArgs(redis, $"http://127.0.0.1:{port}"))
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add("--Logging:LogLevel:Default=Debug");
        start.ArgumentList.Add("--Logging:LogLevel:Orleans=Debug");
        start.Environment["Vigil__Redis__Password"] = password;
        start.Environment["Vigil__Redis__Ssl"] = "true";
        // The CA of the test certificates, for every TLS client in the process (OpenSSL's standard variable).
        start.Environment["SSL_CERT_FILE"] = certificates.CaFile;
        start.Environment["DOTNET_gcServer"] = "0";
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticator.Header, SiloFixture.OperatorKey);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            HttpStatusCode? health = null;
            while (DateTime.UtcNow < deadline && !process.HasExited && health != HttpStatusCode.OK)
            {
                try { health = (await client.GetAsync("/healthz")).StatusCode; }
                catch (HttpRequestException) { await Task.Delay(500); }
            }

            Assert.True(health == HttpStatusCode.OK, $"silo not healthy (exited: {process.HasExited}):\n{string.Join('\n', output.TakeLast(40))}");
            var home = UniqueId("tls-home");
            await AssertJsonAsync(await client.PostAsync($"/v1/homes/{home}/devices/temperature/readings", Json(Readings(Start, 3))), HttpStatusCode.Accepted);
            await AssertJsonAsync(await client.GetAsync($"/v1/homes/{home}/devices/temperature"), HttpStatusCode.OK);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.WaitForExit();
        }

        Assert.DoesNotContain(output, l => l.Contains(password, StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("dbug:", StringComparison.Ordinal));
    }

    private static string[] RedisSiloArgs(RedisServer redis, string urls = "http://127.0.0.1:0") =>
    [
        $"--Vigil:Http:Urls={urls}",
        "--Vigil:Clustering:Mode=Redis",
        $"--Vigil:Clustering:ClusterId=redis-auth-{Guid.NewGuid():N}",
        $"--Vigil:Redis:ConnectionString={redis.ConnectionString}",
        "--Vigil:Orleans:AdvertisedIP=127.0.0.1",
        $"--Vigil:Orleans:SiloPort={LoopbackPorts.Next()}",
        $"--Vigil:Orleans:GatewayPort={LoopbackPorts.Next()}",
        "--Vigil:Silo:Accelerator=true",
        $"--Vigil:Models:Path={TestRepo.Models}",
        $"--Vigil:Auth:OperatorKey={SiloFixture.OperatorKey}",
        "--Logging:LogLevel:Default=Warning",
        "--simulate", "0",
    ];
}
