using System.Net;
using SkiaSharp;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests;

/// <summary>Routes whose success needs every shipped bundle, the frame-cnn one included.</summary>
[Collection(SiloCollection.Name)]
public sealed class ModelDependentApiTests(SiloFixture silo)
{
    private readonly HttpClient _client = silo.Client;

    private static string Url(string query = "") => $"/v1/homes/{UniqueId("home")}/cameras/door/frames{query}";

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "image/png")]
    [InlineData(SKEncodedImageFormat.Jpeg, "image/jpeg")]
    public async Task Png_and_jpeg_frames_are_accepted(SKEncodedImageFormat format, string type)
    {
        var result = await AssertJsonAsync(await _client.PostAsync(Url(), CamerasApiTests.Body(CamerasApiTests.Encode(format), type)), HttpStatusCode.Accepted);
        Assert.True(result.GetProperty("accepted").GetBoolean());
    }

    [Fact]
    public async Task Raw_grey_frames_are_accepted_with_their_size() =>
        await AssertJsonAsync(await _client.PostAsync(Url($"?width={CamerasApiTests.Side}&height={CamerasApiTests.Side}&t=2026-11-22T10:00:00Z"), CamerasApiTests.Body(CamerasApiTests.Grey(), "application/octet-stream")), HttpStatusCode.Accepted);

    [Fact]
    public async Task A_camera_shows_its_scores_threshold_and_what_it_learnt_of_its_scene()
    {
        var home = UniqueId("home");
        var unknown = await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/cameras/porch"), HttpStatusCode.NotFound);
        Assert.Contains("No frames", unknown);

        for (var i = 0; i < 3; i++)
            await AssertJsonAsync(await _client.PostAsync(
                $"/v1/homes/{home}/cameras/porch/frames?width={CamerasApiTests.Side}&height={CamerasApiTests.Side}&t=2026-11-22T10:00:0{i}Z",
                CamerasApiTests.Body(CamerasApiTests.Grey(), "application/octet-stream")), HttpStatusCode.Accepted);

        var camera = await AssertJsonAsync(await _client.GetAsync($"/v1/homes/{home}/cameras/porch"), HttpStatusCode.OK);
        Assert.Equal(3, camera.GetProperty("totalFrames").GetInt64());
        Assert.Equal(3, camera.GetProperty("lastScores").GetArrayLength());
        var heat = camera.GetProperty("lastHeatMap");
        var tiles = heat.GetProperty("tilesX").GetInt32() * heat.GetProperty("tilesY").GetInt32();
        Assert.Equal(tiles, camera.GetProperty("tileMeans").GetArrayLength());
        Assert.Equal(tiles, camera.GetProperty("tileSpreads").GetArrayLength());
        // The same frame three times: no tile has moved, so each is judged by the floor (Vigil:Scoring:CameraMinTileSpread).
        Assert.All(camera.GetProperty("tileSpreads").EnumerateArray(), s => Assert.Equal(0.005, s.GetSingle(), 6));

        Assert.Contains("camera id", await AssertProblemAsync(await _client.GetAsync($"/v1/homes/{home}/cameras/c%24m"), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Readyz_turns_ready_once_the_model_grains_have_loaded()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        HttpResponseMessage response;
        while ((response = await _client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            await Task.Delay(500);
        }

        var state = await AssertJsonAsync(response, HttpStatusCode.OK);
        Assert.True(state.GetProperty("ready").GetBoolean());
        Assert.All(state.GetProperty("models").EnumerateArray(), m => Assert.True(m.GetProperty("loaded").GetBoolean()));
    }

}
