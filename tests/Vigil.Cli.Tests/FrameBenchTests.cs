using Vigil.Cli.Commands;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;

namespace Vigil.Cli.Tests;

public sealed class FrameBenchTests
{
    [Fact]
    public void Bench_hook_reports_throughput_per_batch_size_and_its_share_of_gemm()
    {
        TorchRuntime.EnsureInitialised();
        var dir = Path.Combine(Path.GetTempPath(), "vigil-frame-bench-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var settings = new FrameCnnSettings { TileRows = 2, TileCols = 2, Width = 4 };
            var random = new Random(1);
            var tiles = new float[40 * 28 * 28];
            for (var i = 0; i < tiles.Length; i++) tiles[i] = (float)random.NextDouble();
            FrameCnnTraining.TrainBundle(new FrameTrainingData { Tiles = tiles, InputSize = 28, Description = "noise" }, settings, dir, "cpu");

            var gemm = GemmRate.MeasureGflops(TorchRuntime.ResolveDevice("cpu"), n: 256, minSeconds: 0.2);
            Assert.True(gemm > 0);
            var output = new StringWriter();
            var rows = FrameCommandSupport.BenchFrameCnn(output, dir, "cpu", gemm, [1, 4], secondsPerBatchSize: 0.2);
            Assert.Equal([1, 4], rows.Select(r => r.BatchSize));
            Assert.All(rows, r =>
            {
                Assert.True(r.FramesPerSecond > 0);
                Assert.Equal(r.FramesPerSecond * 4, r.TilesPerSecond, 6);
                Assert.True(r.Gflops > 0);
            });
            Assert.Contains("of GEMM", output.ToString());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
