using System.Net;
using Vigil.Contracts;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class QueryApiTests(SiloFixture silo)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _client = silo.Client;

    [Fact]
    public async Task A_device_shows_its_window_readings_scores_threshold_and_alert_state()
    {
        var home = UniqueId("home");
        await AssertJsonAsync(await _client.PostAsync($"/v1/homes/{home}/devices/temp/readings", Json(Readings(Start, 10))), HttpStatusCode.Accepted);
        var state = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/temp"), HttpStatusCode.OK);
        Assert.True(state.GetProperty("window").GetInt32() >= 10);
        Assert.Equal(10, state.GetProperty("filled").GetInt32());
        Assert.Equal(10, state.GetProperty("lastReadings").GetArrayLength());
        Assert.Equal(Start.AddMinutes(9), state.GetProperty("lastReadings")[9].GetProperty("t").GetDateTimeOffset());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, state.GetProperty("lastScores").ValueKind);
        Assert.True(state.TryGetProperty("threshold", out _));
        Assert.True(state.TryGetProperty("openAlert", out _));
    }

    [Fact]
    public async Task An_unknown_device_is_404() =>
        Assert.Contains("No readings", await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{UniqueId("home")}/devices/nothing"), HttpStatusCode.NotFound));

    [Fact]
    public async Task A_bad_device_id_is_400() =>
        await AssertProblemAsync(await _client.GetAsync("/v1/homes/h/devices/a%20b"), HttpStatusCode.BadRequest);

    [Fact]
    public async Task A_homes_alerts_are_listed()
    {
        var alerts = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{UniqueId("home")}/alerts"), HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, alerts.ValueKind);
    }

    [Theory]
    [InlineData("/v1/homes/h/alerts?max=0", "?max must be between 1 and 500")]
    [InlineData("/v1/homes/bad%20id/alerts", "home id 'bad id'")]
    public async Task Bad_alert_queries_are_400(string url, string expected) =>
        Assert.Contains(expected, await AssertProblemAsync(await _client.GetAsync(url), HttpStatusCode.BadRequest));

    [Fact]
    public async Task The_alert_stream_sends_alerts_as_server_sent_events()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var home = UniqueId("home");
        // Publish through the real feed grain until this silo's subscription (made at start) delivers it.
        var raisedAt = DateTimeOffset.UtcNow;
        var alert = new AlertRecord(AlertRecord.MakeId(home, "temp", raisedAt), home, "temp", AlertKind.Sensor, "lstm-dcnn", "v1",
            raisedAt, null, 0.97f, 0.8f, "test alert", null, []);
        var feed = silo.Grains.GetGrain<IAlertFeedGrain>(GrainKeys.AlertFeed);
        var publisher = Task.Run(async () =>
        {
            while (!timeout.IsCancellationRequested)
            {
                await feed.PublishAsync(new AlertEvent(AlertEventType.Raised, alert));
                await Task.Delay(500, timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        });

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/alerts/stream?home={home}");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            // An event ends with a blank line; the first one after a data line closes the alert's event.
            if (line.Length == 0 && lines.Any(l => l.StartsWith("data:", StringComparison.Ordinal)))
            {
                break;
            }

            lines.Add(line);
        }

        await timeout.CancelAsync();
        try
        {
            await publisher;
        }
        catch (OperationCanceledException)
        {
        }
        Assert.Contains("event: raised", lines);
        Assert.Contains($"id: {alert.Id}", lines);
        var data = Assert.Single(lines, l => l.StartsWith("data:", StringComparison.Ordinal));
        Assert.Contains(home, data);
        Assert.Contains("\"score\":0.97", data);
        Assert.Contains("\"kind\":\"sensor\"", data);
    }

    [Fact]
    public async Task Healthz_answers_ok() =>
        Assert.Equal("ok", (await AssertJsonAsync(await _client.GetAsync("/healthz"), HttpStatusCode.OK)).GetProperty("status").GetString());

    [Fact]
    public async Task An_unknown_route_is_a_problem_details_404() =>
        await AssertProblemAsync(await _client.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound);
}
