using System.Buffers.Binary;
using SkiaSharp;
using Vigil.Detectors.Frames;

namespace Vigil.Detectors.Tests.Frames;

public sealed class FrameDecoderTests
{
    internal static byte[] Encode(int width, int height, Func<int, int, SKColor> colour, SKEncodedImageFormat format = SKEncodedImageFormat.Png)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, colour(x, y));
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        return data.ToArray();
    }

    [Fact]
    public void Grey_png_round_trips_exactly()
    {
        var png = Encode(13, 7, (x, y) => new SKColor((byte)(x * 10 + y), (byte)(x * 10 + y), (byte)(x * 10 + y)));
        var frame = FrameDecoder.DecodeImage(png, FrameLimits.Default, "cam.png");
        Assert.Equal((13, 7), (frame.Width, frame.Height));
        Assert.Equal(4 * 10 + 3, frame[4, 3]);
    }

    [Fact]
    public void Colour_becomes_luminance()
    {
        var png = Encode(2, 1, (x, _) => x == 0 ? new SKColor(255, 0, 0) : new SKColor(0, 0, 255));
        var frame = FrameDecoder.DecodeImage(png, FrameLimits.Default);
        Assert.InRange(frame[0, 0], 75, 78);   // 0.299 × 255
        Assert.InRange(frame[1, 0], 28, 30);   // 0.114 × 255
    }

    [Fact]
    public void Jpeg_decodes_close_to_the_original()
    {
        var jpeg = Encode(32, 32, (_, _) => new SKColor(120, 120, 120), SKEncodedImageFormat.Jpeg);
        var frame = FrameDecoder.DecodeImage(jpeg, FrameLimits.Default);
        Assert.All(frame.Pixels, p => Assert.InRange(p, 115, 125));
    }

    [Fact]
    public void Undecodable_bytes_are_refused_naming_the_source()
    {
        var e = Assert.Throws<FrameFormatException>(() => FrameDecoder.DecodeImage("not an image at all"u8, FrameLimits.Default, "cam-7"));
        Assert.Contains("cam-7", e.Message);
        Assert.Contains("not a decodable image", e.Message);
    }

    [Fact]
    public void Empty_and_truncated_images_are_refused()
    {
        Assert.Throws<FrameFormatException>(() => FrameDecoder.DecodeImage(ReadOnlySpan<byte>.Empty, FrameLimits.Default));
        var png = Encode(64, 64, (x, y) => new SKColor((byte)(x * y), 0, 0));
        Assert.Throws<FrameFormatException>(() => FrameDecoder.DecodeImage(png.AsSpan(0, png.Length / 2), FrameLimits.Default));
    }

    [Fact]
    public void A_frame_over_the_size_limit_is_refused()
    {
        var png = Encode(64, 48, (_, _) => SKColors.White);
        var limits = new FrameLimits { MaxWidth = 32 };
        var e = Assert.Throws<FrameFormatException>(() => FrameDecoder.DecodeImage(png, limits, "big.png"));
        Assert.Contains("64x48 is over the limit", e.Message);
    }

    [Fact]
    public void A_decompression_bomb_is_refused_from_its_header()
    {
        // A tiny PNG whose header claims 60000 × 60000 pixels (3.6 G pixels): refused before decoding.
        var png = Encode(8, 8, (_, _) => SKColors.Black);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 60000);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 60000);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        var e = Assert.Throws<FrameFormatException>(() => FrameDecoder.DecodeImage(png, FrameLimits.Default, "bomb.png"));
        Assert.Contains("60000x60000 is over the limit", e.Message);
    }

    [Fact]
    public void Raw_grey_needs_exactly_width_times_height_bytes()
    {
        var frame = FrameDecoder.FromRawGrey(new byte[12], 4, 3, FrameLimits.Default);
        Assert.Equal((4, 3), (frame.Width, frame.Height));
        Assert.Contains("needs 12 bytes, got 11",
            Assert.Throws<FrameFormatException>(() => FrameDecoder.FromRawGrey(new byte[11], 4, 3, FrameLimits.Default)).Message);
        Assert.Contains("empty", Assert.Throws<FrameFormatException>(() => FrameDecoder.FromRawGrey([], 0, 3, FrameLimits.Default)).Message);
        Assert.Throws<FrameFormatException>(() => FrameDecoder.FromRawGrey(new byte[10], 5000, 1, FrameLimits.Default));
    }

    [Fact]
    public void Gif_is_not_accepted()
    {
        // GIF89a, 1×1, minimal image.
        byte[] gif = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0, 0x3B];
        var e = Assert.Throws<FrameFormatException>(() => FrameDecoder.DecodeImage(gif, FrameLimits.Default, "x.gif"));
        Assert.Contains("x.gif", e.Message);
    }

    [Fact]
    public void Limits_validation_names_every_problem()
    {
        var e = Assert.Throws<ArgumentException>(() => new FrameLimits { MaxWidth = 0, MaxEncodedBytes = 0 }.Validate());
        Assert.Contains("MaxWidth", e.Message);
        Assert.Contains("MaxEncodedBytes", e.Message);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
