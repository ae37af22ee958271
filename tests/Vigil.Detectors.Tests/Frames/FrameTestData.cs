using Vigil.Detectors.Frames;

namespace Vigil.Detectors.Tests.Frames;

/// <summary>The shared Fashion-MNIST copy (<c>../shared/data/fashion-mnist</c> beside the repo root) and small helpers.</summary>
internal static class FrameTestData
{
    private static readonly Lazy<string> Folder = new(() =>
        TestRepo.SharedData("fashion-mnist"));

    private static readonly Lazy<IdxImages> TrainSplit = new(() => IdxImages.Load(FashionMnist, "train"));
    private static readonly Lazy<IdxImages> TestSplit = new(() => IdxImages.Load(FashionMnist, "t10k"));

    public static string FashionMnist => Folder.Value;
    public static IdxImages Train => TrainSplit.Value;
    public static IdxImages Test => TestSplit.Value;

    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Created = [];

    static FrameTestData() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteCreated();

    /// <summary>A fresh folder, deleted when the test process exits (bundles written there are read by later tests).</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "vigil-frames-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Created.Add(dir);
        return dir;
    }

    private static void DeleteCreated()
    {
        foreach (var dir in Created)
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }                       // best effort: a leftover folder is not a test failure
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A frame whose pixel at (x, y) is f(x, y).</summary>
    public static GreyFrame Pattern(int width, int height, Func<int, int, int> f)
    {
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = (byte)f(x, y);
        return new GreyFrame(width, height, pixels);
    }
}
