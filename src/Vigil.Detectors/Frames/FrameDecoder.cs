using SkiaSharp;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Turns a camera's bytes into a <see cref="GreyFrame"/>: PNG or JPEG (grey or colour; colour becomes luminance,
/// the networks see grey), or raw 8-bit grey whose size the caller states. Every size is checked against
/// <see cref="FrameLimits"/> before pixels are decoded.
/// </summary>
public static class FrameDecoder
{
    /// <summary>Decodes PNG or JPEG. <paramref name="source"/> (a file name, a camera id) is named in every error.</summary>
    public static GreyFrame DecodeImage(ReadOnlySpan<byte> encoded, FrameLimits limits, string source = "frame")
    {
        if (encoded.Length == 0)
            throw new FrameFormatException($"{source}: the image is empty (0 bytes).");
        if (encoded.Length > limits.MaxEncodedBytes)
            throw new FrameFormatException($"{source}: {encoded.Length} bytes is over the limit of {limits.MaxEncodedBytes} bytes.");

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data)
                          ?? throw new FrameFormatException($"{source}: not a decodable image (expected PNG or JPEG).");
        if (codec.EncodedFormat is not (SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg))
            throw new FrameFormatException($"{source}: {codec.EncodedFormat} images are not accepted; send PNG, JPEG or raw 8-bit grey.");

        // The header's size, checked before a single pixel is allocated.
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        limits.CheckSize(width, height, source);

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
            throw new FrameFormatException($"{source}: the {codec.EncodedFormat} image could not be decoded ({result}).");
        var rgba = bitmap.GetPixelSpan();

        var grey = new byte[width * height];
        for (var i = 0; i < grey.Length; i++)
        {
            // ITU-R BT.601 luma in integer arithmetic (weights sum to 1024).
            var o = i * 4;
            grey[i] = (byte)((306 * rgba[o] + 601 * rgba[o + 1] + 117 * rgba[o + 2] + 512) >> 10);
        }
        return new GreyFrame(width, height, grey);
    }

    /// <summary>Raw 8-bit grey, row-major, exactly <paramref name="width"/> × <paramref name="height"/> bytes.</summary>
    public static GreyFrame FromRawGrey(ReadOnlySpan<byte> pixels, int width, int height, FrameLimits limits, string source = "frame")
    {
        limits.CheckSize(width, height, source);
        if (pixels.Length != (long)width * height)
            throw new FrameFormatException(
                $"{source}: raw grey {width}x{height} needs {(long)width * height} bytes, got {pixels.Length}.");
        return new GreyFrame(width, height, pixels.ToArray());
    }

    /// <summary>Reads a PNG/JPEG file, refusing it before reading if it is over the byte limit.</summary>
    public static GreyFrame ReadFile(string path, FrameLimits limits)
    {
        var length = new FileInfo(path).Length;
        if (length > limits.MaxEncodedBytes)
            throw new FrameFormatException($"{path}: {length} bytes is over the limit of {limits.MaxEncodedBytes} bytes.");
        return DecodeImage(File.ReadAllBytes(path), limits, path);
    }
}
