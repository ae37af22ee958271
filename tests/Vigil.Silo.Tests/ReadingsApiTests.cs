using System.Net;
using System.Text;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class ReadingsApiTests(SiloFixture silo)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _client = silo.Client;

    private string DeviceUrl(string home, string device) => $"/v1/homes/{home}/devices/{device}/readings";

    [Fact]
    public async Task Readings_are_accepted_with_their_count()
    {
        var home = UniqueId("home");
        var response = await _client.PostAsync(DeviceUrl(home, "temp"), Json(Readings(Start, 3)));
        var body = await AssertJsonAsync(response, HttpStatusCode.Accepted);
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("devices").GetInt32());
    }

    [Fact]
    public async Task Multi_channel_readings_are_accepted()
    {
        var home = UniqueId("home");
        var response = await _client.PostAsync(DeviceUrl(home, "climate"),
            Json("""{"readings":[{"t":"2026-11-22T10:00:00Z","v":[21.5,40.1]},{"t":"2026-11-22T10:01:00Z","v":[21.6,40.0]}]}"""));
        Assert.Equal(2, (await AssertJsonAsync(response, HttpStatusCode.Accepted)).GetProperty("accepted").GetInt32());
    }

    [Theory]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":21.5}", "not valid JSON")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":\"NaN\"}]}", "NaN and infinity are not accepted")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":1e999}]}", "not a finite 32-bit number")]
    [InlineData("{\"readings\":[{\"t\":\"2026-11-22T10:00:00Z\",\"v\":1},{\"t\":\"2026-11-22T10:01:00Z\",\"v\":[1,2]}]}", "readings[1].v has 2 channel(s) but readings[0].v has 1")]
    [InlineData("{\"readings\":[{\"t\":\"yesterday\",\"v\":1}]}", "not an ISO 8601 time")]
    public async Task Bad_bodies_are_400_saying_what_is_wrong(string json, string expected)
    {
        var detail = await AssertProblemAsync(await _client.PostAsync(DeviceUrl(UniqueId("home"), "temp"), Json(json)), HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail);
    }

    [Fact]
    public async Task A_channel_count_that_differs_from_the_devices_history_is_400_and_not_applied()
    {
        var home = UniqueId("home");
        await AssertJsonAsync(await _client.PostAsync(DeviceUrl(home, "temp"), Json(Readings(Start, 2))), HttpStatusCode.Accepted);
        var detail = await AssertProblemAsync(
            await _client.PostAsync(DeviceUrl(home, "temp"), Json("""{"readings":[{"t":"2026-11-22T11:00:00Z","v":[1,2]}]}""")),
            HttpStatusCode.BadRequest);
        Assert.Contains("nothing of this device's readings was applied", detail);

        var state = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/temp"), HttpStatusCode.OK);
        Assert.Equal(2, state.GetProperty("totalAccepted").GetInt64());
    }

    [Fact]
    public async Task Timestamps_going_backwards_beyond_the_tolerance_are_400_and_not_applied()
    {
        var home = UniqueId("home");
        await AssertJsonAsync(await _client.PostAsync(DeviceUrl(home, "temp"), Json(Readings(Start, 5))), HttpStatusCode.Accepted);
        // One new reading, then one an hour behind the stored window: the whole batch is refused.
        var detail = await AssertProblemAsync(
            await _client.PostAsync(DeviceUrl(home, "temp"),
                Json("""{"readings":[{"t":"2026-11-22T10:10:00Z","v":20},{"t":"2026-11-22T09:10:00Z","v":20}]}""")),
            HttpStatusCode.BadRequest);
        Assert.Contains("readings[1]", detail);

        var state = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/temp"), HttpStatusCode.OK);
        Assert.Equal(5, state.GetProperty("totalAccepted").GetInt64());
    }

    [Theory]
    [InlineData("bad%20home", "temp", "home id 'bad home' contains ' '")]
    [InlineData("a%2Fb", "temp", "home id")]
    [InlineData("home-1", "dev%24", "device id 'dev$' contains '$'")]
    [InlineData("home-1", "x12345678901234567890123456789012345678901234567890123456789012345", "is 66 characters long")]
    public async Task Bad_ids_in_the_route_are_400(string home, string device, string expected)
    {
        var detail = await AssertProblemAsync(await _client.PostAsync(DeviceUrl(home, device), Json(Readings(Start, 1))), HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail);
    }

    [Fact]
    public async Task An_empty_id_segment_matches_no_route() =>
        await AssertProblemAsync(await _client.PostAsync("/v1/homes//devices/temp/readings", Json(Readings(Start, 1))), HttpStatusCode.NotFound);

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var big = Readings(Start, 1) + new string(' ', (int)SiloFixture.ReadingsLimit);
        await AssertProblemAsync(await _client.PostAsync(DeviceUrl(UniqueId("home"), "temp"), Json(big)), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Readings(Start, 1) + new string(' ', (int)SiloFixture.ReadingsLimit))));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, DeviceUrl(UniqueId("home"), "temp")) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblemAsync(await _client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Bulk_ndjson_is_accepted_across_devices()
    {
        var home = UniqueId("home");
        var lines = string.Concat(Enumerable.Range(0, 4).Select(i =>
            $"{{\"home\":\"{home}\",\"device\":\"{(i % 2 == 0 ? "temp" : "hum")}\",\"t\":\"{Start.AddMinutes(i):yyyy-MM-ddTHH:mm:ssZ}\",\"v\":{20 + i}}}\n"));
        var body = await AssertJsonAsync(await _client.PostNdjsonAsync(lines), HttpStatusCode.Accepted);
        Assert.Equal((4, 2), (body.GetProperty("accepted").GetInt32(), body.GetProperty("devices").GetInt32()));
        var state = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/hum"), HttpStatusCode.OK);
        Assert.Equal(2, state.GetProperty("totalAccepted").GetInt64());
    }

    [Fact]
    public async Task A_bad_bulk_line_is_reported_by_number_and_nothing_is_applied()
    {
        var home = UniqueId("home");
        var lines =
            $"{{\"home\":\"{home}\",\"device\":\"temp\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":20}}\n" +
            $"{{\"home\":\"{home}\",\"device\":\"hum\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":40}}\n" +
            $"{{\"home\":\"{home}\",\"device\":\"temp\",\"t\":\"2026-11-22T10:01:00Z\",\"v\":\"NaN\"}}\n";
        var detail = await AssertProblemAsync(await _client.PostNdjsonAsync(lines), HttpStatusCode.BadRequest);
        Assert.Contains("line 3", detail);
        Assert.Contains("nothing was applied", detail);
        await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/devices/temp"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/devices/hum"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bulk_ids_that_are_empty_or_contain_a_slash_are_400()
    {
        var detail = await AssertProblemAsync(await _client.PostNdjsonAsync(
            "{\"home\":\"\",\"device\":\"temp\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":20}\n" +
            "{\"home\":\"h\",\"device\":\"a/b\",\"t\":\"2026-11-22T10:00:00Z\",\"v\":20}\n"), HttpStatusCode.BadRequest);
        Assert.Contains("line 1: home id '' is empty", detail);
        Assert.Contains("2 bad line(s)", detail);
    }

    [Fact]
    public async Task A_bulk_body_over_the_limit_is_413() =>
        await AssertProblemAsync(await _client.PostNdjsonAsync(new string('\n', (int)SiloFixture.BulkLimit + 1)), HttpStatusCode.RequestEntityTooLarge);
}
