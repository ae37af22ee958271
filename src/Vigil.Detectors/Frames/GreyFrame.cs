namespace Vigil.Detectors.Frames;

/// <summary>A decoded camera frame: 8-bit grey, row-major, <c>Pixels.Length == Width * Height</c>.</summary>
public sealed class GreyFrame
{
    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public GreyFrame(int width, int height, byte[] pixels)
    {
        if (width <= 0 || height <= 0)
            throw new FrameFormatException($"A frame must have a positive size, not {width}x{height}.");
        if (pixels.Length != (long)width * height)
            throw new FrameFormatException($"A {width}x{height} grey frame needs {(long)width * height} bytes, not {pixels.Length}.");
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public byte this[int x, int y] => Pixels[y * Width + x];
}
