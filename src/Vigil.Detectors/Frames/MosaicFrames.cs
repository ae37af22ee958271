namespace Vigil.Detectors.Frames;

/// <summary>What makes a mosaic cell anomalous.</summary>
public enum MosaicAnomaly
{
    /// <summary>An image of another class.</summary>
    Foreign,
    /// <summary>A normal image upside down (a knocked camera, a fallen object).</summary>
    UpsideDown,
    /// <summary>A normal image with a bright block over half of it (occlusion, glare).</summary>
    Occluded,
    /// <summary>A normal image under heavy sensor noise.</summary>
    Noisy,
}

/// <summary>
/// A synthetic camera frame: cells of cellSize × cellSize images; <see cref="AnomalousCells"/> marks the odd ones and
/// <see cref="CellClasses"/> holds the IDX label of each cell's image (so an evaluation can tell which foreign classes
/// a detector misses).
/// </summary>
public sealed record Mosaic(GreyFrame Frame, int Rows, int Cols, int CellSize, bool[] AnomalousCells, MosaicAnomaly? Anomaly, int[] CellClasses)
{
    /// <summary>Classes of the foreign cells, distinct, in cell order (empty unless the anomaly is <see cref="MosaicAnomaly.Foreign"/>).</summary>
    public IReadOnlyList<int> ForeignClasses => Anomaly == MosaicAnomaly.Foreign
        ? Enumerable.Range(0, AnomalousCells.Length).Where(c => AnomalousCells[c]).Select(c => CellClasses[c]).Distinct().ToArray()
        : [];

    public bool IsAnomalous => Anomaly is not null;

    /// <summary>Does the centre of <paramref name="tile"/> fall in an anomalous cell?</summary>
    public bool CentreIsAnomalous(TileRect tile) => AnomalousCells[CellAt(tile)];

    /// <summary>The IDX label of the image under the centre of <paramref name="tile"/>.</summary>
    public int CellClassAt(TileRect tile) => CellClasses[CellAt(tile)];

    private int CellAt(TileRect tile)
    {
        var col = Math.Min(Cols - 1, (tile.X + tile.Width / 2) / CellSize);
        var row = Math.Min(Rows - 1, (tile.Y + tile.Height / 2) / CellSize);
        return row * Cols + col;
    }
}

/// <summary>
/// Builds camera frames from IDX test images (the idea of the data set's README): rows × cols cells of the normal
/// class; an anomalous frame has <c>anomalousCells</c> cells replaced by a foreign image or a corrupted normal one.
/// <paramref name="normalImages"/> restricts the normal cells to some images of the class (validation mosaics from
/// training images the network did not see); foreign cells come from every image of the other classes.
/// </summary>
public sealed class MosaicFrames(IdxImages images, int normalClass, int rows, int cols, IReadOnlyList<int>? normalImages = null)
{
    private readonly int[] _normal = normalImages?.Where(i => images.Labels[i] == normalClass).ToArray()
                                     ?? images.IndicesOf(new HashSet<int> { normalClass });
    private readonly int[] _foreign = Enumerable.Range(0, images.Count).Where(i => images.Labels[i] != normalClass).ToArray();

    public int Width => cols * images.Cols;
    public int Height => rows * images.Rows;

    public Mosaic Build(Random random, MosaicAnomaly? anomaly, int anomalousCells = 1)
    {
        if (_normal.Length == 0 || _foreign.Length == 0)
            throw new ArgumentException($"Mosaics need images of class {normalClass} and of other classes.");
        var cells = rows * cols;
        var odd = new bool[cells];
        if (anomaly is not null)
            foreach (var c in Enumerable.Range(0, cells).OrderBy(_ => random.Next()).Take(Math.Clamp(anomalousCells, 1, cells)))
                odd[c] = true;

        var (ch, cw) = (images.Rows, images.Cols);
        var pixels = new byte[Width * Height];
        var cell = new byte[ch * cw];
        var classes = new int[cells];
        for (var c = 0; c < cells; c++)
        {
            var source = odd[c] && anomaly == MosaicAnomaly.Foreign ? _foreign[random.Next(_foreign.Length)] : _normal[random.Next(_normal.Length)];
            classes[c] = images.Labels[source];
            images.Pixels.AsSpan(source * ch * cw, ch * cw).CopyTo(cell);
            if (odd[c] && anomaly is { } kind and not MosaicAnomaly.Foreign) Corrupt(cell, cw, ch, kind, random);
            var (r0, c0) = (c / cols * ch, c % cols * cw);
            for (var y = 0; y < ch; y++)
                cell.AsSpan(y * cw, cw).CopyTo(pixels.AsSpan((r0 + y) * Width + c0, cw));
        }
        return new Mosaic(new GreyFrame(Width, Height, pixels), rows, cols, cw, odd, anomaly, classes);
    }

    private static void Corrupt(byte[] cell, int width, int height, MosaicAnomaly kind, Random random)
    {
        switch (kind)
        {
            case MosaicAnomaly.UpsideDown:
                Array.Reverse(cell); // 180° rotation of a row-major image
                break;
            case MosaicAnomaly.Occluded:
                var horizontal = random.Next(2) == 0;
                for (var y = 0; y < height; y++)
                    for (var x = 0; x < width; x++)
                        if (horizontal ? y >= height / 2 : x >= width / 2) cell[y * width + x] = 230;
                break;
            case MosaicAnomaly.Noisy:
                for (var i = 0; i < cell.Length; i++)
                    cell[i] = (byte)Math.Clamp(cell[i] + (random.NextDouble() * 2 - 1) * 160, 0, 255);
                break;
        }
    }
}
