using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace Vigil.Silo.Tests.Fuzz;

/// <summary>
/// Hostile images built byte by byte: PNGs that declare any size (decompression bombs), JPEGs whose frame header is
/// edited to a huge size, and real encodings cut short.
/// </summary>
internal static class ImageBytes
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// A grey 8-bit PNG declaring <paramref name="width"/> × <paramref name="height"/> whose IDAT holds only
    /// <paramref name="rows"/> rows of zeros, deflated: a 100000 × 100000 bomb is under 1 KB.
    /// </summary>
    public static byte[] Png(int width, int height, int rows = 1)
    {
        using var png = new MemoryStream();
        png.Write(PngSignature);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth 8, colour type 0 (grey), deflate, no filter, no interlace
        Chunk(png, "IHDR", ihdr);
        using (var raw = new MemoryStream())
        {
            using (var z = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                var row = new byte[1 + Math.Max(0, Math.Min(width, 1 << 20))]; // filter byte + pixels
                for (var r = 0; r < rows; r++)
                {
                    z.Write(row);
                }
            }

            Chunk(png, "IDAT", raw.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A real JPEG (Skia-encoded) whose SOF header is rewritten to declare the given size.</summary>
    public static byte[] JpegDeclaring(int width, int height)
    {
        var jpeg = Encode(SKEncodedImageFormat.Jpeg);
        for (var i = 2; i + 9 < jpeg.Length; i++)
        {
            // SOF0..SOF2 marker: FF C0..C2, length (2), precision (1), height (2), width (2).
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), (ushort)width);
                return jpeg;
            }
        }

        throw new InvalidOperationException("Skia's JPEG has no SOF marker.");
    }

    /// <summary>A 32 × 32 grey gradient encoded by Skia (PNG or JPEG).</summary>
    public static byte[] Encode(SKEncodedImageFormat format, int side = 32)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = new byte[side * side];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 7) ^ (i / side * 13));
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>
    /// Offset where a PNG's pixel data is only half there: cutting anywhere before it leaves an image no decoder can
    /// finish (the first IDAT's payload starts 8 bytes after its length field).
    /// </summary>
    public static int PngHalfOfPixelData(byte[] png)
    {
        for (var i = 8; i + 8 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(i));
            if (png.AsSpan(i + 4, 4).SequenceEqual("IDAT"u8))
            {
                return i + 8 + length / 2;
            }

            i += 12 + length;
        }

        throw new InvalidOperationException("No IDAT chunk.");
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

    /// <summary>PNG's CRC-32 (ISO 3309), bit by bit.</summary>
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
