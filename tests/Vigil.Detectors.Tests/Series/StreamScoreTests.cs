using System.Runtime.InteropServices;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Tests.Series;

public sealed class StreamScoreTests
{
    private static double[] Run(IEnumerable<double> errors)
    {
        var state = new StreamScoreState();
        return errors.Select(e => StreamScore.Update(ref state, e)).ToArray();
    }

    private static IEnumerable<double> Noise(int n, int seed, double scale)
    {
        var random = new Random(seed);
        for (var i = 0; i < n; i++) yield return scale * (0.5 + random.NextDouble());
    }

    [Fact]
    public void A_rare_large_error_scores_high_and_ordinary_errors_score_low()
    {
        var errors = Noise(1_000, 1, 0.1).ToList();
        errors[800] = 5;
        var scores = Run(errors);
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.True(scores[800] > 0.5, $"spike scored {scores[800]}");
        Assert.True(scores.Take(800).Skip(100).Max() < 0.3, $"normal peak {scores.Take(800).Max()}");
    }

    [Fact]
    public void The_score_means_the_same_whatever_the_devices_error_scale()
    {
        var small = Noise(600, 2, 0.01).Append(0.4).ToArray();
        var large = small.Select(e => e * 1_000).ToArray();
        var a = Run(small);
        var b = Run(large);
        Assert.True(a[^1] > 0.4);
        Assert.Equal(a[^1], b[^1], 1);
    }

    [Fact]
    public void Nothing_scores_during_warm_up()
    {
        var options = StreamScoreOptions.Default;
        var scores = Run(Noise(options.WarmUp, 3, 1).Select((e, i) => i == options.WarmUp - 1 ? 100 : e));
        Assert.All(scores, s => Assert.Equal(0, s));
    }

    [Fact]
    public void A_bundle_prior_lets_a_new_stream_score_from_its_first_reading()
    {
        var state = StreamScore.FromPrior(Math.Log(0.1), 0.3, pseudoCount: 200);
        Assert.True(StreamScore.Update(ref state, 3.0) > 0.5);
    }

    [Fact]
    public void The_score_is_the_log_of_the_tail_probability_and_converts_back()
    {
        Assert.Equal(0.5, StreamScore.FromTailProbability(1e-5), 6);
        Assert.Equal(1e-6, StreamScore.ToTailProbability(0.6), 9);
        Assert.Equal(1, StreamScore.FromTailProbability(0));
        Assert.Equal(0.5, StreamScore.UpperTail(0), 6);
        Assert.Equal(0.0013499, StreamScore.UpperTail(3), 6);
    }

    [Fact]
    public void The_state_a_device_keeps_is_about_a_hundred_bytes() =>
        // 7 numbers about the errors, 6 about the readings (ValueSignal).
        Assert.True(Marshal.SizeOf<StreamScoreState>() <= 104, $"{Marshal.SizeOf<StreamScoreState>()} bytes");

    [Fact]
    public void Non_finite_or_negative_errors_do_not_poison_the_history()
    {
        var state = new StreamScoreState();
        foreach (var e in Noise(200, 4, 0.1)) StreamScore.Update(ref state, e);
        StreamScore.Update(ref state, double.NaN);
        StreamScore.Update(ref state, -1);
        Assert.True(double.IsFinite(state.Mean) && double.IsFinite(state.Variance));
    }
}
