using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

/// <summary>Trained on a clean signal, each detector must single out injected spikes, level shifts and flat-lines.</summary>
[Collection(TrainedBundlesCollection.Name)]
public sealed class SeriesDetectionTests(TrainedBundles bundles)
{
    [Theory]
    [InlineData(DetectorKinds.LstmDcnn)]
    [InlineData(DetectorKinds.Autoencoder)]
    public void Injected_spike_level_shift_and_flat_line_score_above_everything_in_the_normal_stretches(string kind)
    {
        using var detector = (SeriesDetector)DetectorLoader.LoadSeries(bundles.Directories[kind], "cpu");
        var test = SyntheticSeries.WithAnomalies(2_400, seed: 2);
        var raw = SeriesStreamScorer.RawErrors(detector, SyntheticSeries.ToSeries(test.Values));
        var scores = SeriesStreamScorer.Scores(raw);

        double PeakNear(int row, int length = 0) => scores.Skip(row).Take(length + detector.InputLength).Max();
        // An anomaly stays in the windows that hold it, so its effect lasts up to two item lengths.
        var after = 2 * detector.InputLength;
        var anomalous = new List<(int From, int To)>
        {
            (test.Spike, test.Spike + after),
            (test.Shift, test.Shift + after),
            (test.FlatStart, test.FlatEnd + after),
            // the shift's return to the old level is a second shift
            (SyntheticSeries.ShiftEnd(test.Values.Length), SyntheticSeries.ShiftEnd(test.Values.Length) + after),
        };
        var worst = scores.Select((s, t) => (s, t)).Where(p => p.t > 300 && !anomalous.Any(a => p.t >= a.From && p.t < a.To)).MaxBy(p => p.s);
        var quietPeak = scores.Select((s, t) => (s, t))
            .Where(p => p.t > 300 && !anomalous.Any(a => p.t >= a.From && p.t < a.To))
            .Max(p => p.s);

        Assert.True(PeakNear(test.Spike) > quietPeak, $"spike {PeakNear(test.Spike):F3} vs normal {quietPeak:F3} at {worst.t}");
        Assert.True(PeakNear(test.Shift) > quietPeak, $"level shift {PeakNear(test.Shift):F3} vs normal {quietPeak:F3} at {worst.t}");
        // A stuck sensor shows while it is stuck (too predictable) or when it comes back to life.
        var flat = PeakNear(test.FlatStart, test.FlatEnd - test.FlatStart);
        Assert.True(flat > quietPeak, $"flat-line {flat:F3} vs normal {quietPeak:F3} at {worst.t}");
        // And they are rare events on the shared scale, not merely the largest of a noisy lot.
        Assert.True(PeakNear(test.Spike) > 0.4, $"spike scores only {PeakNear(test.Spike):F3}");
    }

    [Fact]
    public void Fine_tuning_on_a_new_streams_first_readings_lowers_its_forecast_error_there()
    {
        using var generic = (SeriesDetector)DetectorLoader.LoadSeries(bundles.Directories[DetectorKinds.LstmDcnn], "cpu");
        // A stream unlike the training signal: a faster rhythm with a sawtooth.
        var values = Enumerable.Range(0, 900).Select(t => (float)(10 + 3 * ((t % 13) / 13.0) + Math.Sin(t / 3.0))).ToArray();
        var stream = SyntheticSeries.ToSeries(values);
        using var adapted = SeriesAdaptation.FineTune(generic, stream.Head(600));

        var later = SyntheticSeries.ToSeries(values);
        var before = SeriesStreamScorer.RawErrors(generic, later).Skip(600).Average();
        Assert.True(adapted.Adapted, $"not adapted: {string.Join("; ", adapted.Failures)}");
        var after = SeriesStreamScorer.RawErrors(adapted.Detector, later).Skip(600).Average();
        Assert.True(after < before, $"adapted error {after:F4} should be below the generic {before:F4}");
        Assert.Equal(600, adapted.Detector.Manifest.Evaluation["adaptedOnRows"]);
    }

    [Fact]
    public void Scoring_row_by_row_sees_only_the_past_the_future_does_not_change_a_rows_error()
    {
        using var detector = DetectorLoader.LoadSeries(bundles.Directories[DetectorKinds.LstmDcnn], "cpu");
        var values = SyntheticSeries.Normal(400, seed: 4);
        var full = SeriesStreamScorer.RawErrors(detector, SyntheticSeries.ToSeries(values));
        var changedFuture = (float[])values.Clone();
        for (var t = 300; t < 400; t++) changedFuture[t] += 50;
        var altered = SeriesStreamScorer.RawErrors(detector, SyntheticSeries.ToSeries(changedFuture));
        Assert.Equal(full[..300], altered[..300]);
        Assert.NotEqual(full[300], altered[300]);
    }
}
