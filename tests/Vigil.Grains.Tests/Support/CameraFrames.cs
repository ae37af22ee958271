using Vigil.Contracts;

namespace Vigil.Grains.Tests.Support;

internal static class CameraFrames
{
    /// <summary>
    /// A 16×16 grey scene, optionally with its top-right 8×8 quarter lit to <paramref name="brightCorner"/> (what the
    /// tests' frame model scores high, tile 1 of its 2×2 heat map).
    /// </summary>
    public static FrameData Grey(DateTimeOffset t, byte background = 40, byte brightCorner = 0) =>
        Tiles(t, background, brightCorner > 0 ? brightCorner : background, background, background);

    /// <summary>A 16×16 frame of four 8×8 tiles (row-major: top-left, top-right, bottom-left, bottom-right) lit to the given levels.</summary>
    public static FrameData Tiles(DateTimeOffset t, params byte[] levels)
    {
        if (levels.Length != 4) throw new ArgumentException("four tile levels needed", nameof(levels));
        var pixels = new byte[16 * 16];
        for (var y = 0; y < 16; y++)
            for (var x = 0; x < 16; x++)
                pixels[y * 16 + x] = levels[y / 8 * 2 + x / 8];
        return new FrameData(t, 16, 16, pixels);
    }
}
