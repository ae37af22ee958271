using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Tests.Frames;

/// <summary>
/// One small bundle trained once for the test class: 1,200 trouser images (class 1), width 8, one epoch, 2×2 tiles,
/// with the feature density (features hidden) in <see cref="Directory"/> and, from the same trained network, a kNN
/// memory (features <see cref="KnnFeatures"/>) in <see cref="KnnDirectory"/> and a pixel memory in <see cref="PixelDirectory"/>.
/// Trousers are upright and centred, so the rotation/shift classifier learns fast; a bag (class 8) is obviously foreign.
/// </summary>
public sealed class TinyFrameBundle : IDisposable
{
    public const int NormalClass = 1;
    public const int ForeignClass = 8;

    public TinyFrameBundle()
    {
        TorchRuntime.EnsureInitialised();
        TorchSharp.torch.set_num_threads(1);
        Settings = new FrameCnnSettings
        {
            TileRows = 2, TileCols = 2, Width = 8, Epochs = 1, NormalClass = NormalClass, Features = FrameCnnSettings.HiddenFeatures,
        };
        Directory = FrameTestData.TempDir();
        KnnDirectory = FrameTestData.TempDir();
        PixelDirectory = FrameTestData.TempDir();
        Data = FrameTrainingData.Load(FrameTestData.FashionMnist, Settings, NormalClass, FrameLimits.Default, maxTiles: 1200);
        var outcomes = FrameCnnTraining.TrainBundles(Data, Settings,
            [(FrameCnnSettings.HiddenFeatures, Directory), (KnnFeatures, KnnDirectory), ("px", PixelDirectory)], "cpu");
        Outcome = outcomes[0];
        KnnOutcome = outcomes[1];
    }

    public const string KnnFeatures = "knn-ms";
    public string KnnDirectory { get; }

    /// <summary>The same network with the pixel memory (features <c>px</c>, the commands' default).</summary>
    public string PixelDirectory { get; }
    public FrameCnnTraining.Outcome KnnOutcome { get; }

    public FrameCnnSettings Settings { get; }
    public string Directory { get; }
    public FrameTrainingData Data { get; }
    public FrameCnnTraining.Outcome Outcome { get; }

    /// <summary>A 2×2 mosaic (56×56) of test images; <paramref name="foreignCell"/> (or none) holds a foreign image.</summary>
    public static GreyFrame Mosaic(int seed, int? foreignCell)
    {
        var test = FrameTestData.Test;
        var normal = test.IndicesOf(new HashSet<int> { NormalClass });
        var foreign = test.IndicesOf(new HashSet<int> { ForeignClass });
        var random = new Random(seed);
        var pixels = new byte[56 * 56];
        for (var cell = 0; cell < 4; cell++)
        {
            var source = cell == foreignCell ? foreign[random.Next(foreign.Length)] : normal[random.Next(normal.Length)];
            var image = test.Frame(source);
            for (var y = 0; y < 28; y++)
                for (var x = 0; x < 28; x++)
                    pixels[(cell / 2 * 28 + y) * 56 + cell % 2 * 28 + x] = image[x, y];
        }
        return new GreyFrame(56, 56, pixels);
    }

    public void Dispose()
    {
        foreach (var dir in new[] { Directory, KnnDirectory, PixelDirectory })
            try { System.IO.Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
    }
}
