using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>Builds the [N, 1, S, S] tile tensors training and scoring read, from IDX images or frames.</summary>
public static class TileSet
{
    /// <summary>Each selected IDX image is one tile, scaled to size × size.</summary>
    public static float[] FromIdx(IdxImages images, IReadOnlyList<int> indices, int size)
    {
        var perTile = size * size;
        var data = new float[indices.Count * perTile];
        var whole = new TileRect(0, 0, images.Cols, images.Rows);
        Parallel.For(0, indices.Count, i =>
            TileScaler.Resample(images.Frame(indices[i]), whole, size, data.AsSpan(i * perTile, perTile)));
        return data;
    }

    /// <summary>Every tile of every frame, segmented by <paramref name="grid"/> and scaled to size × size.</summary>
    public static float[] FromFrames(IReadOnlyList<GreyFrame> frames, TileGrid grid, int size)
    {
        var perFrame = grid.Count * size * size;
        var data = new float[frames.Count * perFrame];
        for (var f = 0; f < frames.Count; f++)
            FrameTiler.Extract(frames[f], grid, size, data.AsSpan(f * perFrame, perFrame));
        return data;
    }

    public static Tensor ToTensor(float[] data, int size) => tensor(data, [data.Length / (size * size), 1, size, size]);
}
