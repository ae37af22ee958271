namespace Vigil.Detectors.Frames;

/// <summary>Segmentation + scaling in one pass: a frame becomes grid.Count network inputs of size × size, row-major.</summary>
public static class FrameTiler
{
    /// <summary>Writes grid.Count × size × size values in [0, 1] into <paramref name="destination"/>.</summary>
    public static void Extract(GreyFrame frame, TileGrid grid, int size, Span<float> destination)
    {
        var tiles = grid.Layout(frame.Width, frame.Height);
        var perTile = size * size;
        if (destination.Length < tiles.Length * perTile)
            throw new ArgumentException($"Destination holds {destination.Length} values; {tiles.Length} tiles of {size}x{size} need {tiles.Length * perTile}.");
        for (var i = 0; i < tiles.Length; i++)
            TileScaler.Resample(frame, tiles[i], size, destination.Slice(i * perTile, perTile));
    }

    /// <summary>Checks a frame can be split by <paramref name="grid"/> and names the frame when it cannot.</summary>
    public static void CheckFits(GreyFrame frame, TileGrid grid, string source)
    {
        try { _ = grid.Layout(frame.Width, frame.Height); }
        catch (ArgumentException e) { throw new FrameFormatException($"{source}: {e.Message}", e); }
    }
}
