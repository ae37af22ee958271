namespace Vigil.Detectors.Frames;

/// <summary>
/// Largest frame Vigil decodes. Checked against the size an image declares in its header, before any pixel is
/// decoded, so a small file that claims a huge image (a decompression bomb) is refused cheaply.
/// Bound from configuration section <c>Vigil:Frames</c> by hosts; the defaults suit home cameras.
/// </summary>
public sealed class FrameLimits
{
    public const string Section = "Vigil:Frames";

    public int MaxWidth { get; set; } = 4096;
    public int MaxHeight { get; set; } = 4096;

    /// <summary>Width × height; 16 M pixels = 64 MB decoded as RGBA.</summary>
    public long MaxPixels { get; set; } = 16L * 1024 * 1024;

    /// <summary>Size of the encoded (PNG/JPEG/raw) body.</summary>
    public long MaxEncodedBytes { get; set; } = 32L * 1024 * 1024;

    public static FrameLimits Default { get; } = new();

    /// <summary>Throws with every problem named; hosts call this at start.</summary>
    public FrameLimits Validate()
    {
        var problems = new List<string>();
        if (MaxWidth < 1) problems.Add($"MaxWidth must be ≥ 1 (is {MaxWidth})");
        if (MaxHeight < 1) problems.Add($"MaxHeight must be ≥ 1 (is {MaxHeight})");
        if (MaxPixels < 1) problems.Add($"MaxPixels must be ≥ 1 (is {MaxPixels})");
        if (MaxPixels > 256L * 1024 * 1024) problems.Add($"MaxPixels must be ≤ 268435456 (is {MaxPixels})");
        if (MaxEncodedBytes < 1) problems.Add($"MaxEncodedBytes must be ≥ 1 (is {MaxEncodedBytes})");
        if (problems.Count > 0)
            throw new ArgumentException($"{Section}: {string.Join("; ", problems)}.");
        return this;
    }

    /// <summary>Refuses a declared size outside the limits; <paramref name="source"/> names the frame in the message.</summary>
    public void CheckSize(int width, int height, string source)
    {
        if (width <= 0 || height <= 0)
            throw new FrameFormatException($"{source}: frame size {width}x{height} is empty.");
        if (width > MaxWidth || height > MaxHeight || (long)width * height > MaxPixels)
            throw new FrameFormatException(
                $"{source}: frame {width}x{height} is over the limit ({MaxWidth}x{MaxHeight}, {MaxPixels} pixels).");
    }
}
