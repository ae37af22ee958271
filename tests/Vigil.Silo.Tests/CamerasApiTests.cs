using System.Net;
using System.Net.Http.Headers;
using SkiaSharp;
using static Vigil.Silo.Tests.ApiTestHelpers;

namespace Vigil.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class CamerasApiTests(SiloFixture silo)
{
    internal const int Side = 112;
    private readonly HttpClient _client = silo.Client;

    internal static byte[] Grey()
    {
        var pixels = new byte[Side * Side];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(100 + 50 * Math.Sin(i / Side / 4.0));
        }

        return pixels;
    }

    internal static byte[] Encode(SKEncodedImageFormat format)
    {
        var grey = Grey();
        using var bitmap = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(grey, 0, bitmap.GetPixels(), grey.Length);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    internal static ByteArrayContent Body(byte[] bytes, string type)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private string Url(string query = "") => $"/v1/homes/{UniqueId("home")}/cameras/door/frames{query}";

    [Fact]
    public async Task Raw_grey_of_the_wrong_length_is_400() =>
        Assert.Contains($"needs {Side * 50}", await AssertProblemAsync(
            await _client.PostAsync(Url($"?width={Side}&height=50"), Body(Grey(), "application/octet-stream")), HttpStatusCode.BadRequest));

    [Fact]
    public async Task Raw_grey_needs_both_sides() =>
        Assert.Contains("both ?width= and ?height=", await AssertProblemAsync(
            await _client.PostAsync(Url($"?width={Side}"), Body(Grey(), "application/octet-stream")), HttpStatusCode.BadRequest));

    [Fact]
    public async Task Bytes_that_are_no_image_are_400() =>
        Assert.Contains("not a decodable image", await AssertProblemAsync(
            await _client.PostAsync(Url(), Body("definitely not a png"u8.ToArray(), "image/png")), HttpStatusCode.BadRequest));

    [Fact]
    public async Task A_png_declaring_a_huge_size_is_refused_before_decoding()
    {
        // A decompression bomb's shape: a tiny file whose header claims 60000 x 60000 pixels.
        var detail = await AssertProblemAsync(await _client.PostAsync(Url(), Body(Fuzz.ImageBytes.Png(60_000, 60_000, rows: 0), "image/png")), HttpStatusCode.BadRequest);
        Assert.True(detail.Contains("over the limit", StringComparison.Ordinal) || detail.Contains("not a decodable image", StringComparison.Ordinal), detail);
    }

    [Fact]
    public async Task A_frame_body_over_the_limit_is_413() =>
        await AssertProblemAsync(await _client.PostAsync(Url("?width=1000&height=1000"), Body(new byte[SiloFixture.FrameLimit + 1], "application/octet-stream")), HttpStatusCode.RequestEntityTooLarge);

    [Fact]
    public async Task A_bad_camera_id_is_400() =>
        Assert.Contains("camera id", await AssertProblemAsync(
            await _client.PostAsync("/v1/homes/h/cameras/c%24m/frames", Body(Encode(SKEncodedImageFormat.Png), "image/png")), HttpStatusCode.BadRequest));
}
