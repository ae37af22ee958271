using System.IO.Compression;

namespace Vigil.Simulation;

/// <summary>
/// Camera frames built from real images: a 4×4 mosaic of 28×28 Fashion-MNIST tiles of one class (the camera's
/// normal scene); an anomalous frame has one tile from another class. Falls back to a synthetic texture when the
/// data set is absent, so the simulator still runs anywhere.
/// </summary>
public sealed class FrameMosaics
{
    public const int Tile = 28, Grid = 4, Size = Tile * Grid;

    private readonly byte[][] _normal;
    private readonly byte[][] _foreign;

    private FrameMosaics(byte[][] normal, byte[][] foreign)
    {
        _normal = normal;
        _foreign = foreign;
    }

    public static FrameMosaics Load(string? fashionMnistFolder, int normalClass = 0)
    {
        var images = fashionMnistFolder is null ? null : Path.Combine(fashionMnistFolder, "t10k-images-idx3-ubyte.gz");
        var labels = fashionMnistFolder is null ? null : Path.Combine(fashionMnistFolder, "t10k-labels-idx1-ubyte.gz");
        if (images is null || !File.Exists(images) || !File.Exists(labels))
            return Synthetic();

        var pixels = ReadIdx(images, 2051);
        var classes = ReadIdx(labels!, 2049);
        int count = classes.Length;
        var normal = new List<byte[]>();
        var foreign = new List<byte[]>();
        for (int i = 0; i < count; i++)
            (classes[i] == normalClass ? normal : foreign).Add(pixels.AsSpan(i * Tile * Tile, Tile * Tile).ToArray());
        return new FrameMosaics([.. normal], [.. foreign]);
    }

    /// <summary>
    /// An 8-bit grey frame, <see cref="Size"/>×<see cref="Size"/>, row-major, of 16 normal images drawn afresh (a new
    /// scene every frame; see <see cref="NewScene"/> for a camera that keeps watching one).
    /// </summary>
    public byte[] Frame(Random random, bool anomalous)
    {
        var frame = new byte[Size * Size];
        int foreignTile = anomalous ? random.Next(Grid * Grid) : -1;
        for (int t = 0; t < Grid * Grid; t++)
        {
            var source = t == foreignTile ? _foreign[random.Next(_foreign.Length)] : _normal[random.Next(_normal.Length)];
            Place(frame, t, source);
        }
        return frame;
    }

    /// <summary>A fixed scene of normal images, drawn with <paramref name="random"/>, for one camera to watch.</summary>
    public CameraScene NewScene(Random random) =>
        new(this, Enumerable.Range(0, Grid * Grid).Select(_ => random.Next(_normal.Length)).ToArray());

    internal int NormalCount => _normal.Length;
    internal int ForeignCount => _foreign.Length;
    internal byte[] Normal(int index) => _normal[index];
    internal byte[] Foreign(int index) => _foreign[index];

    internal static void Place(byte[] frame, int cell, ReadOnlySpan<byte> tile)
    {
        int top = cell / Grid * Tile, left = cell % Grid * Tile;
        for (int y = 0; y < Tile; y++)
            tile.Slice(y * Tile, Tile).CopyTo(frame.AsSpan((top + y) * Size + left, Tile));
    }

    private static byte[] ReadIdx(string path, int magic)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new BinaryReader(stream);
        int header = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(reader.ReadInt32());
        if (header != magic) throw new InvalidDataException($"'{path}': IDX magic {header}, expected {magic}.");
        int count = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(reader.ReadInt32());
        int itemSize = 1;
        for (int d = 0; d < (magic & 0xff) - 1; d++)
            itemSize *= System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(reader.ReadInt32());
        var data = reader.ReadBytes(checked(count * itemSize));
        if (data.Length != count * itemSize) throw new InvalidDataException($"'{path}' is truncated.");
        return data;
    }

    private static FrameMosaics Synthetic()
    {
        // Smooth stripes as the normal scene, a checkerboard as the foreign object.
        static byte[] Make(Func<int, int, byte> f)
        {
            var tile = new byte[Tile * Tile];
            for (int y = 0; y < Tile; y++)
                for (int x = 0; x < Tile; x++)
                    tile[y * Tile + x] = f(x, y);
            return tile;
        }
        return new FrameMosaics(
            [Make((x, y) => (byte)(100 + 50 * Math.Sin(y / 4.0)))],
            [Make((x, y) => (byte)((x / 4 + y / 4) % 2 == 0 ? 255 : 0))]);
    }
}
