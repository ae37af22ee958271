using System.Buffers.Binary;
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
        var detail = await AssertProblemAsync(await _client.PostAsync(Url(), Body(PngHeaderOnly(60_000, 60_000), "image/png")), HttpStatusCode.BadRequest);
        Assert.True(detail.Contains("over the limit", StringComparison.Ordinal) || detail.Contains("not a decodable image", StringComparison.Ordinal), detail);
    }

    [Fact]
    public async Task A_frame_body_over_the_limit_is_413() =>
        await AssertProblemAsync(await _client.PostAsync(Url("?width=1000&height=1000"), Body(new byte[SiloFixture.FrameLimit + 1], "application/octet-stream")), HttpStatusCode.RequestEntityTooLarge);

    [Fact]
    public async Task A_bad_camera_id_is_400() =>
        Assert.Contains("camera id", await AssertProblemAsync(
            await _client.PostAsync("/v1/homes/h/cameras/c%24m/frames", Body(Encode(SKEncodedImageFormat.Png), "image/png")), HttpStatusCode.BadRequest));

    private static byte[] PngHeaderOnly(int width, int height)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth; colour type 0 (grey)
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    /// <summary>PNG's CRC-32 (ISO 3309), bit by bit: a few hundred bytes, no table needed.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
