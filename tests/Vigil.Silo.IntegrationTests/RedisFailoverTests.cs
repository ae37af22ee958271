using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Vigil.Silo.IntegrationTests;

/// <summary>
/// Two silo processes clustered through a real redis-server: readings go in through silo A, A is killed with
/// SIGKILL, and every device's state (window included) must come back intact through silo B.
/// </summary>
public sealed class RedisFailoverTests(ITestOutputHelper output)
{
    private const int Devices = 16, ReadingsPerDevice = 70;
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact(Timeout = 300_000)]
    public async Task Device_state_survives_the_kill_of_the_silo_that_held_it()
    {
        await using var redis = await RedisServer.StartAsync();
        var clusterId = $"failover-{Guid.NewGuid():N}";
        // A is alone when the readings arrive, so every device grain is activated there; B joins afterwards.
        await using var siloA = SiloProcess.Start("A", ClusterSettings(redis, clusterId));
        await siloA.WaitHealthyAsync(TimeSpan.FromSeconds(90));

        var home = "home-failover";
        for (var d = 0; d < Devices; d++)
        {
            using var response = await siloA.Client.PostAsync($"/v1/homes/{home}/devices/dev-{d}/readings",
                new StringContent(Readings(d), Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"dev-{d}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{siloA.Output}");
        }

        var before = new Dictionary<int, JsonElement>();
        for (var d = 0; d < Devices; d++)
        {
            before[d] = await siloA.Client.GetFromJsonAsync<JsonElement>($"/v1/homes/{home}/devices/dev-{d}");
            Assert.True(siloA.Hosts(before[d].GetProperty("silo").GetString()), $"dev-{d} is not on A: {before[d].GetProperty("silo")}");
        }

        await using var siloB = SiloProcess.Start("B", ClusterSettings(redis, clusterId));
        await siloB.WaitHealthyAsync(TimeSpan.FromSeconds(90));

        await siloA.KillAsync();
        var killedAt = Stopwatch.StartNew();

        for (var d = 0; d < Devices; d++)
        {
            var after = await ReadUntilAvailableAsync(siloB, $"/v1/homes/{home}/devices/dev-{d}", TimeSpan.FromSeconds(120));
            // Reactivated on B from storage: not a grain that happened to live on B all along.
            Assert.True(siloB.Hosts(after.GetProperty("silo").GetString()), $"dev-{d} is not on B after the kill: {after.GetProperty("silo")}");
            Assert.Equal(ReadingsPerDevice, after.GetProperty("totalAccepted").GetInt64());
            Assert.Equal(before[d].GetProperty("filled").GetInt32(), after.GetProperty("filled").GetInt32());
            Assert.Equal(before[d].GetProperty("lastReadings").GetRawText(), after.GetProperty("lastReadings").GetRawText());
            Assert.Equal(before[d].GetProperty("threshold").GetRawText(), after.GetProperty("threshold").GetRawText());
            // The window holds the newest readings: the last one sent is the last one kept.
            var last = after.GetProperty("lastReadings")[after.GetProperty("filled").GetInt32() - 1];
            Assert.Equal(Start.AddMinutes(ReadingsPerDevice - 1), last.GetProperty("t").GetDateTimeOffset());
            Assert.Equal(Value(d, ReadingsPerDevice - 1), last.GetProperty("v")[0].GetSingle());
        }

        output.WriteLine($"All {Devices} devices, every one active on silo A before the kill, reactivated on silo B with their state intact {killedAt.Elapsed.TotalSeconds:0.0} s after silo A was killed.");

        // And the device goes on where it left off.
        using var more = await siloB.Client.PostAsync($"/v1/homes/{home}/devices/dev-0/readings",
            new StringContent($"{{\"readings\":[{{\"t\":\"{Start.AddMinutes(ReadingsPerDevice):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":20}}]}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, more.StatusCode);
        var continued = await siloB.Client.GetFromJsonAsync<JsonElement>($"/v1/homes/{home}/devices/dev-0");
        Assert.Equal(ReadingsPerDevice + 1, continued.GetProperty("totalAccepted").GetInt64());
    }

    [Fact(Timeout = 120_000)]
    public async Task A_redis_mode_without_a_connection_string_stops_at_start_naming_the_key()
    {
        var settings = new Dictionary<string, string> { ["Vigil__Clustering__Mode"] = "Redis" };
        await using var silo = SiloProcess.Start("misconfigured", settings);
        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains("Vigil:Redis:ConnectionString is required when Vigil:Clustering:Mode is Redis", silo.Output);
    }

    private static Dictionary<string, string> ClusterSettings(RedisServer redis, string clusterId) =>
        SiloProcess.RedisClusterSettings(redis.ConnectionString, clusterId);

    private static float Value(int device, int i) => MathF.Round(20 + device + 2 * MathF.Sin(i / 6f), 3);

    private static string Readings(int device) =>
        "{\"readings\":[" + string.Join(",", Enumerable.Range(0, ReadingsPerDevice).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{{\"t\":\"{Start.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{Value(device, i)}}}"))) + "]}";

    /// <summary>Until the cluster has declared the dead silo dead, calls to its grains fail; retry within a bound.</summary>
    private static async Task<JsonElement> ReadUntilAvailableAsync(SiloProcess silo, string url, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await silo.Client.GetAsync(url);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadFromJsonAsync<JsonElement>();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.Message;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"{url} through silo {silo.Name} did not answer 200 within {within.TotalSeconds} s (last: {last}).\n{silo.Output}");
    }
}
