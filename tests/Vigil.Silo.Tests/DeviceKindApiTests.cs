using System.Net;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests;

/// <summary><c>PUT /v1/homes/{home}/devices/{device}</c>: what a device measures, so its threshold starts from its kind's fleet prior.</summary>
[Collection(SiloCollection.Name)]
public sealed class DeviceKindApiTests(SiloFixture silo)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _client = silo.Client;

    [Fact]
    public async Task A_declared_kind_is_answered_and_shown_with_the_device_before_and_after_its_readings()
    {
        var home = UniqueId("home");
        var declared = await AssertJsonAsync(await _client.PutAsync($"/v1/homes/{home}/devices/meter", Json("""{"kind": "power"}""")), HttpStatusCode.OK);
        Assert.Equal("power", declared.GetProperty("kind").GetString());
        Assert.Equal("meter", declared.GetProperty("device").GetString());
        // Declared before any reading: still 404 until readings come, then shown.
        await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/devices/meter"), HttpStatusCode.NotFound);
        await AssertJsonAsync(await _client.PostAsync($"/v1/homes/{home}/devices/meter/readings", Json(Readings(Start, 10))), HttpStatusCode.Accepted);
        var state = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/meter"), HttpStatusCode.OK);
        Assert.Equal("power", state.GetProperty("kind").GetString());

        // Declaring again is idempotent; another kind replaces it.
        await AssertJsonAsync(await _client.PutAsync($"/v1/homes/{home}/devices/meter", Json("""{"kind": "power"}""")), HttpStatusCode.OK);
        await AssertJsonAsync(await _client.PutAsync($"/v1/homes/{home}/devices/meter", Json("""{"kind": "heat-pump"}""")), HttpStatusCode.OK);
        state = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/meter"), HttpStatusCode.OK);
        Assert.Equal("heat-pump", state.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_device_never_declared_shows_no_kind()
    {
        var home = UniqueId("home");
        await AssertJsonAsync(await _client.PostAsync($"/v1/homes/{home}/devices/t/readings", Json(Readings(Start, 3))), HttpStatusCode.Accepted);
        var state = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/t"), HttpStatusCode.OK);
        Assert.True(!state.TryGetProperty("kind", out var kind) || kind.ValueKind == System.Text.Json.JsonValueKind.Null);
    }

    [Theory]
    [InlineData("""{"kind": "two words"}""", "kind id")]
    [InlineData("""{"kind": ""}""", "kind id")]
    [InlineData("""{"kind": 7}""", "needs \"kind\"")]
    [InlineData("""{"kind": "\udc00"}""", "not valid text")]
    [InlineData("""{"type": "power"}""", "needs \"kind\"")]
    [InlineData("""["power"]""", "JSON object")]
    [InlineData("""{"kind": "power" """, "not JSON")]
    [InlineData("", "not JSON")]
    public async Task A_bad_declaration_is_400_naming_what_is_wrong_and_changes_nothing(string body, string expected)
    {
        var home = UniqueId("home");
        await AssertJsonAsync(await _client.PutAsync($"/v1/homes/{home}/devices/d", Json("""{"kind": "door"}""")), HttpStatusCode.OK);
        Assert.Contains(expected, await AssertProblemAsync(await _client.PutAsync($"/v1/homes/{home}/devices/d", Json(body)), HttpStatusCode.BadRequest));
        await AssertJsonAsync(await _client.PostAsync($"/v1/homes/{home}/devices/d/readings", Json(Readings(Start, 3))), HttpStatusCode.Accepted);
        var state = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/devices/d"), HttpStatusCode.OK);
        Assert.Equal("door", state.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_bad_device_id_is_400_and_a_huge_body_413()
    {
        await AssertProblemAsync(await _client.PutAsync("/v1/homes/h/devices/a%20b", Json("""{"kind": "power"}""")), HttpStatusCode.BadRequest);
        var huge = "{\"kind\": \"power\", \"pad\": \"" + new string('x', 8_000) + "\"}";
        await AssertProblemAsync(await _client.PutAsync($"/v1/homes/{UniqueId("home")}/devices/d", Json(huge)), HttpStatusCode.RequestEntityTooLarge);
    }
}
