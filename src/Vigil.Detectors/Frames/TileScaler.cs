namespace Vigil.Detectors.Frames;

/// <summary>
/// Scaling: resamples one tile of a frame to the network's square input size, pixels mapped to [0, 1].
/// Shrinking averages every source pixel by the share of it each output pixel covers (area resampling, no
/// aliasing); enlarging interpolates bilinearly with pixel centres aligned. Equal sizes copy exactly.
/// </summary>
public static class TileScaler
{
    public static void Resample(GreyFrame frame, TileRect tile, int size, Span<float> destination)
    {
        if (destination.Length < size * size)
            throw new ArgumentException($"Destination holds {destination.Length} values; a {size}x{size} tile needs {size * size}.");
        if (tile.X < 0 || tile.Y < 0 || tile.Width < 1 || tile.Height < 1
            || tile.X + tile.Width > frame.Width || tile.Y + tile.Height > frame.Height)
            throw new ArgumentException($"Tile {tile} lies outside the {frame.Width}x{frame.Height} frame.");

        if (tile.Width == size && tile.Height == size)
        {
            // Same size (a 4×4 grid of 28-pixel cells into a 28-pixel input): a straight copy, no weights.
            for (var y = 0; y < size; y++)
            {
                var row = frame.Pixels.AsSpan((tile.Y + y) * frame.Width + tile.X, size);
                var target = destination.Slice(y * size, size);
                for (var x = 0; x < size; x++) target[x] = row[x] / 255f;
            }
            return;
        }
        var xs = Kernel(tile.Width, size);
        var ys = Kernel(tile.Height, size);
        for (var oy = 0; oy < size; oy++)
        {
            var (y0, yw) = ys[oy];
            for (var ox = 0; ox < size; ox++)
            {
                var (x0, xw) = xs[ox];
                var sum = 0f;
                for (var j = 0; j < yw.Length; j++)
                {
                    var rowStart = (tile.Y + y0 + j) * frame.Width + tile.X + x0;
                    var acc = 0f;
                    for (var i = 0; i < xw.Length; i++) acc += xw[i] * frame.Pixels[rowStart + i];
                    sum += yw[j] * acc;
                }
                destination[oy * size + ox] = sum / 255f;
            }
        }
    }

    /// <summary>For each output position: the first source index and the weights (summing to 1) of the sources it reads.</summary>
    internal static (int First, float[] Weights)[] Kernel(int sourceLength, int outputLength)
    {
        // A camera's frames keep their size, so the same few kernels come back for every tile: build each once.
        var key = ((long)sourceLength << 32) | (uint)outputLength;
        if (Kernels.TryGetValue(key, out var cached)) return cached;
        var kernel = BuildKernel(sourceLength, outputLength);
        if (Kernels.Count < MaxCachedKernels) Kernels.TryAdd(key, kernel);
        return kernel;
    }

    private const int MaxCachedKernels = 256;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<long, (int First, float[] Weights)[]> Kernels = new();

    private static (int First, float[] Weights)[] BuildKernel(int sourceLength, int outputLength)
    {
        var kernel = new (int, float[])[outputLength];
        var scale = (double)sourceLength / outputLength;
        for (var o = 0; o < outputLength; o++)
        {
            if (scale >= 1)
            {
                // Output pixel o covers source interval [o·scale, (o+1)·scale).
                var start = o * scale;
                var end = (o + 1) * scale;
                var first = (int)Math.Floor(start);
                var last = Math.Min(sourceLength - 1, (int)Math.Ceiling(end) - 1);
                var weights = new float[last - first + 1];
                for (var s = first; s <= last; s++)
                    weights[s - first] = (float)((Math.Min(end, s + 1) - Math.Max(start, s)) / scale);
                kernel[o] = (first, weights);
            }
            else
            {
                // Centre-aligned bilinear: output centre (o + ½)·scale − ½ in source coordinates, clamped at the edges.
                var centre = Math.Clamp((o + 0.5) * scale - 0.5, 0, sourceLength - 1);
                var first = Math.Min((int)Math.Floor(centre), Math.Max(0, sourceLength - 2));
                var frac = (float)(centre - first);
                kernel[o] = sourceLength == 1 ? (0, [1f]) : (first, [1f - frac, frac]);
            }
        }
        return kernel;
    }
}
