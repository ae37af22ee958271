using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Vigil.Contracts;
using Vigil.Grains;
using Vigil.Grains.Devices;
using Vigil.Silo.Apis;
using Vigil.Silo.Ingestion;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests;

/// <summary>
/// NDJSON bulk is all or nothing against the devices' stored state: a line that only its device can judge bad
/// (timestamps behind its window, a channel count it does not have) refuses the whole request, naming the line.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class BulkAtomicityTests(SiloFixture silo)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _client = silo.Client;

    private static string Line(string home, string device, DateTimeOffset t, string v) =>
        $"{{\"home\":\"{home}\",\"device\":\"{device}\",\"t\":\"{t:yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{v}}}\n";

    private async Task SeedAsync(string home, string device, int count) =>
        await AssertJsonAsync(await _client.PostAsync($"/v1/homes/{home}/devices/{device}/readings", Json(Readings(Start, count))), HttpStatusCode.Accepted);

    private async Task<long> TotalAcceptedAsync(string home, string device) =>
        (await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/{device}"), HttpStatusCode.OK)).GetProperty("totalAccepted").GetInt64();

    [Fact]
    public async Task A_line_behind_its_devices_window_refuses_the_whole_request_by_line_number()
    {
        var home = UniqueId("home");
        await SeedAsync(home, "temp", 10); // temp holds 10:00..10:09
        // hum and plug are new and their lines are fine; line 4 is an hour behind temp's stored window.
        var body =
            Line(home, "hum", Start, "40") +
            Line(home, "plug", Start, "3") +
            Line(home, "hum", Start.AddMinutes(1), "41") +
            Line(home, "temp", Start.AddHours(-1), "20") +
            Line(home, "plug", Start.AddMinutes(1), "4");

        var detail = await AssertProblemAsync(await _client.PostNdjsonAsync(body), HttpStatusCode.BadRequest);

        Assert.Contains("line 4", detail);
        Assert.Contains($"{home}/temp", detail);
        Assert.Contains("nothing was applied", detail);
        await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/devices/hum"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/devices/plug"), HttpStatusCode.NotFound);
        Assert.Equal(10, await TotalAcceptedAsync(home, "temp"));
    }

    [Fact]
    public async Task A_channel_count_the_device_does_not_have_refuses_the_whole_request()
    {
        var home = UniqueId("home");
        await SeedAsync(home, "temp", 3); // one channel
        var body =
            Line(home, "hum", Start, "40") +
            Line(home, "temp", Start.AddMinutes(5), "[20,1]") +
            Line(home, "temp", Start.AddMinutes(6), "[21,1]");

        var response = await _client.PostNdjsonAsync(body);
        var detail = await AssertProblemAsync(response, HttpStatusCode.BadRequest);

        Assert.Contains("2 bad line(s)", detail);
        Assert.Contains("line 2", detail);
        Assert.Contains("1 channel(s)", detail);
        var errors = (await AssertJsonAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("line 3:", errors[1]);
        await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/devices/hum"), HttpStatusCode.NotFound);
        Assert.Equal(3, await TotalAcceptedAsync(home, "temp"));
    }

    [Fact]
    public async Task A_timestamp_repeated_with_other_values_is_a_bad_line_and_nothing_is_applied()
    {
        var home = UniqueId("home");
        await SeedAsync(home, "temp", 3);
        var body = Line(home, "hum", Start, "40") + Line(home, "temp", Start.AddMinutes(2), "99");

        var detail = await AssertProblemAsync(await _client.PostNdjsonAsync(body), HttpStatusCode.BadRequest);

        Assert.Contains("line 2", detail);
        Assert.Contains("different values", detail);
        await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/devices/hum"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Resending_an_applied_request_is_idempotent()
    {
        var home = UniqueId("home");
        var body = Line(home, "temp", Start, "20") + Line(home, "hum", Start, "40") + Line(home, "temp", Start.AddMinutes(1), "21");

        await AssertJsonAsync(await _client.PostNdjsonAsync(body), HttpStatusCode.Accepted);
        var again = await AssertJsonAsync(await _client.PostNdjsonAsync(body), HttpStatusCode.Accepted);

        Assert.Equal((0, 3), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        Assert.Equal(2, await TotalAcceptedAsync(home, "temp"));
    }

    /// <summary>
    /// The one window the check cannot close: another request writes to a device between this request's check and
    /// its append. The grain re-validates, so that device refuses whole; the others keep their readings; the answer
    /// names what was not applied (409), never a 202.
    /// </summary>
    [Fact]
    public async Task A_concurrent_write_between_check_and_append_is_a_409_naming_the_devices_not_applied()
    {
        var home = UniqueId("home");
        var batches = new List<DeviceBatch>
        {
            new(home, "hum", [new Reading(Start, [40])], [1]),
            new(home, "temp", [new Reading(Start, [20]), new Reading(Start.AddMinutes(1), [21])], [2, 3]),
        };
        var ingestor = new ReadingsIngestor(silo.Grains)
        {
            // The concurrent writer: temp moves an hour ahead, so this request's temp readings are now far behind.
            AfterCheck = async _ => Assert.True((await silo.Grains.GetGrain<IDeviceGrain>(GrainKeys.ForDevice(home, "temp"))
                .AppendAsync(new ReadingBatch([new Reading(Start.AddHours(1), [22])]))).Applied),
        };

        var partial = await Assert.ThrowsAsync<PartiallyAppliedException>(() => ingestor.IngestAsync(batches));

        Assert.Equal(StatusCodes.Status409Conflict, partial.Status);
        Assert.Equal([GrainKeys.ForDevice(home, "temp")], partial.NotApplied);
        Assert.Contains("1 of 2 device(s)", partial.Message);
        Assert.Contains("lines 2..3", partial.Details[0]);
        Assert.Equal(1, await TotalAcceptedAsync(home, "hum"));
        Assert.Equal(1, await TotalAcceptedAsync(home, "temp")); // only the concurrent writer's reading

        var http = new DefaultHttpContext();
        Assert.True(ApiProblems.TryMap(partial, http, out var problem));
        Assert.Equal(409, problem.StatusCode);
        Assert.Equal([GrainKeys.ForDevice(home, "temp")], (IReadOnlyList<string>)problem.ProblemDetails.Extensions["notApplied"]!);
        Assert.False(http.Response.Headers.ContainsKey("Retry-After"));
    }

    /// <summary>
    /// A device whose storage write fails (here: its stored state one version ahead of the grain's copy, what a write
    /// whose answer a Redis outage lost leaves behind) stores nothing, while the other devices keep their readings: the
    /// answer is a 503 naming that device, not the plain "nothing of this request was stored" that would be untrue.
    /// </summary>
    [Fact]
    public async Task A_storage_failure_on_one_device_is_a_503_naming_that_device_and_the_resend_completes()
    {
        var home = UniqueId("home");
        await SeedAsync(home, "temp", 3); // temp holds 10:00..10:02
        var batches = new List<DeviceBatch>
        {
            new(home, "hum", [new Reading(Start, [40])], [1]),
            new(home, "temp", [new Reading(Start.AddMinutes(3), [20]), new Reading(Start.AddMinutes(4), [21])], [2, 3]),
        };
        var ingestor = new ReadingsIngestor(silo.Grains)
        {
            // Another writer stores temp's state again behind its grain's back: same readings, new ETag.
            AfterCheck = async _ =>
            {
                var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Name);
                var stored = new GrainState<DeviceState>();
                var temp = silo.Grains.GetGrain<IDeviceGrain>(GrainKeys.ForDevice(home, "temp")).GetGrainId();
                await storage.ReadStateAsync("device", temp, stored);
                await storage.WriteStateAsync("device", temp, stored);
            },
        };

        var partial = await Assert.ThrowsAsync<PartiallyAppliedException>(() => ingestor.IngestAsync(batches));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, partial.Status);
        Assert.Equal([GrainKeys.ForDevice(home, "temp")], partial.NotApplied);
        Assert.Contains("1 of 2 device(s)", partial.Message);
        Assert.Contains("lines 2..3", partial.Details[0]);
        Assert.Contains("stored state changed", partial.Details[0]);
        Assert.Equal(1, await TotalAcceptedAsync(home, "hum"));
        Assert.Equal(3, await TotalAcceptedAsync(home, "temp"));
        var http = new DefaultHttpContext();
        Assert.True(ApiProblems.TryMap(partial, http, out var problem));
        Assert.Equal((503, "2"), (problem.StatusCode, http.Response.Headers.RetryAfter.ToString()));

        // The client resends the whole request: hum's reading is a duplicate, temp (reloaded) takes its two.
        var resent = await new ReadingsIngestor(silo.Grains).IngestAsync(batches);
        Assert.Equal((2, 1), (resent.Accepted, resent.Duplicates));
        Assert.Equal(5, await TotalAcceptedAsync(home, "temp"));
    }

    [Fact]
    public async Task A_concurrent_write_that_makes_every_device_refuse_is_a_plain_400_with_nothing_applied()
    {
        var home = UniqueId("home");
        var batches = new List<DeviceBatch>
        {
            new(home, "hum", [new Reading(Start, [40])], [1]),
            new(home, "temp", [new Reading(Start, [20])], [2]),
        };
        var ingestor = new ReadingsIngestor(silo.Grains)
        {
            AfterCheck = async _ =>
            {
                foreach (var device in new[] { "hum", "temp" })
                    await silo.Grains.GetGrain<IDeviceGrain>(GrainKeys.ForDevice(home, device)).AppendAsync(new ReadingBatch([new Reading(Start.AddHours(1), [1])]));
            },
        };

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => ingestor.IngestAsync(batches));

        Assert.Contains("nothing was applied", refused.Message);
        Assert.StartsWith("line 1:", refused.Details[0]);
        Assert.StartsWith("line 2:", refused.Details[1]);
    }

    [Fact]
    public void A_partial_apply_after_a_full_model_queue_is_429_with_retry_after()
    {
        var http = new DefaultHttpContext();
        var partial = new PartiallyAppliedException(429, "Only part", ["h/d (1 reading(s), lines 1..1) not applied: full"], ["h/d"], TimeSpan.FromSeconds(3));
        Assert.True(ApiProblems.TryMap(partial, http, out var problem));
        Assert.Equal(429, problem.StatusCode);
        Assert.Equal("3", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal("Partially applied", problem.ProblemDetails.Title);
    }
}
