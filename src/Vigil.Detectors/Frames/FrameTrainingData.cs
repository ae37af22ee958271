using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Training tiles, already segmented and scaled, with labels when the data has them (0 normal, 1 anomalous).
/// Sources: an IDX folder (each image of the normal class is one tile; with anomalous classes named, their images
/// are labelled anomalous tiles and the supervised head is trained), a folder of PNG/JPEG frames (all normal;
/// each frame is tiled by the grid), or a folder with <c>normal/</c> and <c>anomalous/</c> subfolders of frames
/// (labelled: the supervised head is trained; every tile of an anomalous frame is labelled anomalous, so those
/// frames should be filled by their anomaly, e.g. tile-sized crops).
/// </summary>
public sealed class FrameTrainingData
{
    public static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    public required float[] Tiles { get; init; }
    public required int InputSize { get; init; }
    public long[]? Labels { get; init; }
    public required string Description { get; init; }

    public int Count => Tiles.Length / (InputSize * InputSize);
    public bool IsLabelled => Labels is not null;

    /// <summary>SHA-256 over the tiles (and labels) as the trainer sees them.</summary>
    public string Fingerprint()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes(Tiles.AsSpan()));
        if (Labels is not null) sha.AppendData(MemoryMarshal.AsBytes(Labels.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Loads from an IDX folder or an image folder; every problem is an <see cref="InvalidDataException"/>
    /// or <see cref="FrameFormatException"/> naming the file.</summary>
    /// <param name="maxTiles">At most this many normal tiles (and, when labelled from IDX, this many anomalous ones).</param>
    /// <param name="anomalousClasses">IDX classes whose images are anomalous tiles (supervised); IDX folders only.</param>
    public static FrameTrainingData Load(string folder, FrameCnnSettings settings, int normalClass, FrameLimits limits, int maxTiles = int.MaxValue,
        IReadOnlySet<int>? anomalousClasses = null)
    {
        if (!Directory.Exists(folder))
            throw new InvalidDataException($"'{folder}' is not a folder.");
        if (IdxImages.Exists(folder, "train"))
            return FromIdx(folder, settings, normalClass, maxTiles, anomalousClasses);
        if (anomalousClasses is { Count: > 0 })
            throw new InvalidDataException($"'{folder}' is no IDX folder: anomalous classes need IDX labels (an image folder labels by normal/ and anomalous/ subfolders).");

        var normalDir = Path.Combine(folder, "normal");
        var anomalousDir = Path.Combine(folder, "anomalous");
        if (Directory.Exists(normalDir) && Directory.Exists(anomalousDir))
        {
            var normal = ReadFrames(normalDir, limits);
            var anomalous = ReadFrames(anomalousDir, limits);
            var normalTiles = Tile(normal, settings);
            var anomalousTiles = Tile(anomalous, settings);
            var perTile = settings.InputSize * settings.InputSize;
            var labels = Enumerable.Repeat(0L, normalTiles.Length / perTile).Concat(Enumerable.Repeat(1L, anomalousTiles.Length / perTile)).ToArray();
            return new FrameTrainingData
            {
                Tiles = [.. normalTiles, .. anomalousTiles],
                InputSize = settings.InputSize,
                Labels = labels,
                Description = $"{normal.Count} normal and {anomalous.Count} anomalous frames from '{folder}', {settings.Grid} tiles each",
            };
        }

        var frames = ReadFrames(folder, limits);
        var tiles = Tile(frames, settings);
        var limit = Math.Min(tiles.Length, (long)maxTiles * settings.InputSize * settings.InputSize);
        return new FrameTrainingData
        {
            Tiles = tiles[..(int)limit],
            InputSize = settings.InputSize,
            Description = $"{frames.Count} normal frames from '{folder}', {settings.Grid} tiles each",
        };
    }

    private static FrameTrainingData FromIdx(string folder, FrameCnnSettings settings, int normalClass, int maxTiles, IReadOnlySet<int>? anomalousClasses)
    {
        var idx = IdxImages.Load(folder, "train");
        bool Present(int c) => c is >= 0 and <= 255 && idx.Labels.Contains((byte)c);
        if (!Present(normalClass))
            throw new InvalidDataException($"'{folder}': no training image has class {normalClass}.");
        var normal = idx.IndicesOf(new HashSet<int> { normalClass }).Take(maxTiles).ToArray();
        if (anomalousClasses is not { Count: > 0 })
        {
            return new FrameTrainingData
            {
                Tiles = TileSet.FromIdx(idx, normal, settings.InputSize),
                InputSize = settings.InputSize,
                Description = $"{normal.Length} IDX images of class {normalClass} from '{folder}'",
            };
        }

        if (anomalousClasses.Contains(normalClass))
            throw new InvalidDataException($"class {normalClass} cannot be both the normal class and an anomalous one.");
        var missing = anomalousClasses.Where(c => !Present(c)).Order().ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"'{folder}': no training image has class {string.Join(", ", missing)}.");
        // Evenly spaced, so a limit keeps every named class in proportion whatever the split's order (this copy of
        // Fashion-MNIST lists its training images class by class).
        var anomalous = Sampling.EvenlySpaced(idx.IndicesOf(anomalousClasses), maxTiles).ToArray();
        return new FrameTrainingData
        {
            Tiles = TileSet.FromIdx(idx, [.. normal, .. anomalous], settings.InputSize),
            InputSize = settings.InputSize,
            Labels = [.. Enumerable.Repeat(0L, normal.Length), .. Enumerable.Repeat(1L, anomalous.Length)],
            Description = $"{normal.Length} IDX images of class {normalClass} and {anomalous.Length} anomalous ones of class " +
                          $"{string.Join(",", anomalousClasses.Order())} from '{folder}'",
        };
    }

    private static float[] Tile(IReadOnlyList<(string Path, GreyFrame Frame)> frames, FrameCnnSettings settings)
    {
        foreach (var (path, frame) in frames) FrameTiler.CheckFits(frame, settings.Grid, path);
        return TileSet.FromFrames(frames.Select(f => f.Frame).ToArray(), settings.Grid, settings.InputSize);
    }

    private static List<(string Path, GreyFrame Frame)> ReadFrames(string folder, FrameLimits limits)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
            throw new InvalidDataException($"'{folder}' holds no IDX files (train-images-idx3-ubyte.gz) and no PNG/JPEG frames.");
        // Decode everything before training: one bad file fails the command before any work is written.
        return files.Select(f => (f, FrameDecoder.ReadFile(f, limits))).ToList();
    }
}
