using System.Buffers.Binary;
using System.IO.Compression;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Images and labels in the IDX format (MNIST, Fashion-MNIST), gzip or plain: big-endian header, magic 2051 for
/// images (count, rows, columns) and 2049 for labels (count), then one unsigned byte per pixel or label.
/// </summary>
public sealed class IdxImages
{
    public required int Count { get; init; }
    public required int Rows { get; init; }
    public required int Cols { get; init; }

    /// <summary>Count × Rows × Cols bytes, image after image.</summary>
    public required byte[] Pixels { get; init; }

    /// <summary>One label per image.</summary>
    public required byte[] Labels { get; init; }

    public int ImageSize => Rows * Cols;

    public GreyFrame Frame(int index) => new(Cols, Rows, Pixels.AsSpan(index * ImageSize, ImageSize).ToArray());

    /// <summary>Indices of the images whose label is in <paramref name="classes"/> (all images when null).</summary>
    public int[] IndicesOf(IReadOnlySet<int>? classes) =>
        Enumerable.Range(0, Count).Where(i => classes is null || classes.Contains(Labels[i])).ToArray();

    /// <summary>Does <paramref name="folder"/> hold an IDX split named <paramref name="split"/> (<c>train</c>, <c>t10k</c>)?</summary>
    public static bool Exists(string folder, string split) => FindFile(folder, $"{split}-images-idx3-ubyte") is not null;

    /// <summary>Loads <c>{split}-images-idx3-ubyte[.gz]</c> and <c>{split}-labels-idx1-ubyte[.gz]</c> from <paramref name="folder"/>.</summary>
    public static IdxImages Load(string folder, string split)
    {
        var imagesPath = FindFile(folder, $"{split}-images-idx3-ubyte")
                         ?? throw new FileNotFoundException($"'{folder}' has no {split}-images-idx3-ubyte(.gz).");
        var labelsPath = FindFile(folder, $"{split}-labels-idx1-ubyte")
                         ?? throw new FileNotFoundException($"'{folder}' has no {split}-labels-idx1-ubyte(.gz) beside {Path.GetFileName(imagesPath)}.");
        var images = ReadAll(imagesPath);
        var labels = ReadAll(labelsPath);

        if (images.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(images) != 2051)
            throw new InvalidDataException($"{imagesPath}: not an IDX image file (magic 2051 expected).");
        var count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        var rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        var cols = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        if (count < 0 || rows <= 0 || cols <= 0 || rows > 4096 || cols > 4096)
            throw new InvalidDataException($"{imagesPath}: impossible header (count {count}, {rows}x{cols}).");
        var expected = 16L + (long)count * rows * cols;
        if (images.Length != expected)
            throw new InvalidDataException($"{imagesPath}: {images.Length} bytes, but its header ({count} images of {rows}x{cols}) needs {expected}.");

        if (labels.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(labels) != 2049)
            throw new InvalidDataException($"{labelsPath}: not an IDX label file (magic 2049 expected).");
        var labelCount = BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4));
        if (labelCount != count || labels.Length != 8 + count)
            throw new InvalidDataException($"{labelsPath}: {labelCount} labels in {labels.Length} bytes for {count} images in {imagesPath}.");

        return new IdxImages
        {
            Count = count, Rows = rows, Cols = cols,
            Pixels = images.AsSpan(16).ToArray(),
            Labels = labels.AsSpan(8).ToArray(),
        };
    }

    private static string? FindFile(string folder, string stem) =>
        new[] { stem + ".gz", stem }.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    private static byte[] ReadAll(string path)
    {
        using var file = File.OpenRead(path);
        using var buffer = new MemoryStream();
        try
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var gz = new GZipStream(file, CompressionMode.Decompress);
                gz.CopyTo(buffer);
            }
            else file.CopyTo(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: not a valid gzip file ({e.Message}).", e);
        }
        return buffer.ToArray();
    }
}
