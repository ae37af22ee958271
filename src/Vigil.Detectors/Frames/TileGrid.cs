using System.Globalization;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Segmentation of a frame into <see cref="Rows"/> × <see cref="Cols"/> tiles that may overlap.
/// <see cref="Overlap"/> is the share of a tile's width (height) it shares with its right (lower) neighbour.
/// The first tile starts at the frame's edge and the last ends at the opposite edge, whatever the frame size,
/// so no pixel is left unscored; odd sizes spread the rounding over the tile positions, never past the edge.
/// </summary>
public sealed record TileGrid
{
    public int Rows { get; }
    public int Cols { get; }
    public double Overlap { get; }

    public TileGrid(int rows, int cols, double overlap = 0)
    {
        if (rows < 1 || cols < 1 || rows > 64 || cols > 64)
            throw new ArgumentOutOfRangeException(nameof(rows), $"A tile grid needs 1..64 rows and columns, not {rows}x{cols}.");
        if (!(overlap >= 0 && overlap < 0.9))
            throw new ArgumentOutOfRangeException(nameof(overlap), $"Tile overlap must be in [0, 0.9), not {overlap}.");
        Rows = rows;
        Cols = cols;
        Overlap = overlap;
    }

    public int Count => Rows * Cols;

    /// <summary>Parses <c>RxC</c> (e.g. <c>4x4</c>, <c>2X3</c>).</summary>
    public static TileGrid Parse(string text, double overlap = 0)
    {
        var parts = text.Trim().ToLowerInvariant().Split('x');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var cols))
            throw new FormatException($"'{text}' is not a tile grid: expected RxC, e.g. 4x4.");
        return new TileGrid(rows, cols, overlap);
    }

    public override string ToString() => $"{Rows}x{Cols}";

    /// <summary>Tiles in row-major order (row 0 left to right, then row 1, ...), the heat map's order.</summary>
    public TileRect[] Layout(int width, int height)
    {
        var (xs, w) = Spans(width, Cols, "wide", "columns");
        var (ys, h) = Spans(height, Rows, "high", "rows");
        var tiles = new TileRect[Count];
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Cols; c++)
                tiles[r * Cols + c] = new TileRect(xs[c], ys[r], w, h);
        return tiles;
    }

    /// <summary>Start positions and the common length of <paramref name="parts"/> overlapping spans covering [0, length).</summary>
    private (int[] Starts, int Size) Spans(int length, int parts, string adjective, string noun)
    {
        // n tiles of size s with overlap o cover s·(n − (n−1)·o) pixels; solve for s and round up so they cover it all.
        var size = (int)Math.Ceiling(length / (parts - (parts - 1) * Overlap) - 1e-9);
        size = Math.Min(size, length);
        if (size < 1 || length < parts)
            throw new ArgumentException($"A frame {length} px {adjective} cannot be split into {parts} {noun}.");
        var starts = new int[parts];
        for (var i = 0; i < parts; i++)
            starts[i] = parts == 1 ? 0 : (int)Math.Round((double)i * (length - size) / (parts - 1), MidpointRounding.AwayFromZero);
        return (starts, size);
    }
}
