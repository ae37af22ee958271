using System.Diagnostics;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Tests.Bundles;

namespace Vigil.Detectors.Tests.Runtime;

/// <summary>
/// The shipped detectors' scoring, as a silo runs it, beside a thread that does nothing but collect garbage (a loaded
/// silo allocates all the time). TorchSharp's temporary Scalars, finalised while libtorch still read them, made this
/// fail with "Expected false to be true" (KeptScalars); every score must also equal the quiet run's, bit for bit.
/// Before the fix: 7 HTTP 500s in 86,400 frames of a simulate run, and two runs of these tests failed two of the
/// three and one of the three (the race is rare per call: a collection must finalise a Scalar mid-call).
/// </summary>
public sealed class ScoringUnderGcTests
{
    private static readonly TimeSpan Storm = TimeSpan.FromSeconds(4);

    [Theory]
    [InlineData(DetectorKinds.LstmDcnn)]
    [InlineData(DetectorKinds.Autoencoder)]
    public void Series_scores_stay_exact_while_the_GC_runs_beside(string kind)
    {
        using var detector = DetectorLoader.LoadSeries(BundleMutation.ShippedBundle(kind), "cpu");
        var random = new Random(7);
        var inputs = Enumerable.Range(0, 4 * detector.InputLength * detector.Channels).Select(_ => (float)random.NextDouble()).ToArray();
        // Batch 1 and batch 4 run different kernels (their last bits may differ), so each has its own quiet score.
        var quietOne = new float[1];
        detector.ScoreBatch(inputs, 1, quietOne);
        var quiet = new float[4];
        detector.ScoreBatch(inputs, 4, quiet);

        var (calls, failures) = WithGcStorm(() =>
        {
            // Batch 1 as well as 4: the more calls, the more Scalars a collection can catch in flight.
            var one = new float[1];
            detector.ScoreBatch(inputs, 1, one);
            Assert.Equal(quietOne[0], one[0]);
            var four = new float[4];
            detector.ScoreBatch(inputs, 4, four);
            Assert.Equal(quiet, four);
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} scorings failed, first: {failures.FirstOrDefault()}");
    }

    [Fact]
    public void Frame_scores_stay_exact_while_the_GC_runs_beside()
    {
        using var detector = DetectorLoader.LoadFrames(BundleMutation.ShippedBundle(DetectorKinds.FrameCnn), "cpu");
        var random = new Random(7);
        var pixels = new byte[112 * 112];
        random.NextBytes(pixels);
        var frame = new GreyFrame(112, 112, pixels);
        var quiet = detector.ScoreBatch([frame])[0];

        var (calls, failures) = WithGcStorm(() =>
        {
            var score = detector.ScoreBatch([frame])[0];
            Assert.Equal(quiet.Score, score.Score);
            Assert.Equal(quiet.HeatMap, score.HeatMap);
        });

        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} frames failed, first: {failures.FirstOrDefault()}");
    }

    /// <summary>Runs <paramref name="score"/> again and again for <see cref="Storm"/> while another thread collects garbage.</summary>
    private static (int Calls, List<string> Failures) WithGcStorm(Action score)
    {
        var failures = new List<string>();
        var calls = 0;
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < Storm)
            {
                calls++;
                try
                {
                    score();
                }
                catch (Exception e)
                {
                    failures.Add(e.Message.Split('\n')[0]);
                }
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        return (calls, failures);
    }
}
