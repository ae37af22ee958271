using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

/// <summary>The reading's own signals: a level never seen, a sensor stuck at one value; quiet on a normal seasonal stream; online.</summary>
public sealed class ValueSignalTests
{
    private static readonly StreamScoreOptions Both = StreamScoreOptions.Default with { FlagOutOfRange = true, FlagStuck = true };

    private const int Period = 100;

    /// <summary>A daily-like cycle with bounded noise: after its first period it has shown its whole normal range.</summary>
    private static double[] Seasonal(int n, int seed = 5)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(t => 10 + 3 * Math.Sin(2 * Math.PI * t / Period) + 0.2 * (random.NextDouble() - 0.5))];
    }

    /// <summary>Errors a well-fitted detector would give on any of these series: small, ordinary, never surprising.</summary>
    private static float[] OrdinaryErrors(int n, int seed = 6)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, n).Select(_ => (float)(0.1 * (0.5 + random.NextDouble())))];
    }

    private static List<int> Fired(double[] values, StreamScoreOptions options)
    {
        var state = new StreamScoreState();
        var fired = new List<int>();
        for (var t = 0; t < values.Length; t++)
            if (ValueSignal.Observe(ref state, values[t], options)) fired.Add(t);
        return fired;
    }

    [Fact]
    public void A_normal_seasonal_stream_never_fires_once_it_has_shown_one_cycle()
    {
        var values = Seasonal(20 * Period);

        Assert.DoesNotContain(Fired(values, Both), t => t >= Period);
        // Through StreamScore too: ordinary errors, ordinary readings, low scores after the first cycle.
        var scores = SeriesStreamScorer.Scores(OrdinaryErrors(values.Length), values, options: Both);
        Assert.True(scores.Skip(Period).Max() < 0.5, $"peak {scores.Skip(Period).Max():F3}");
    }

    [Fact]
    public void A_shift_to_a_level_never_seen_scores_one_at_its_onset_and_only_there()
    {
        var values = Seasonal(10 * Period);
        const int onset = 700;
        for (var t = onset; t < values.Length; t++) values[t] += 8; // the cycle now runs 5..21 above a 6.9..13.1 history

        // (During the first cycle the range is still being learnt; from the second on it is known.)
        Assert.Equal([onset], Fired(values, Both).Where(t => t >= Period));
        var scores = SeriesStreamScorer.Scores(OrdinaryErrors(values.Length), values, options: Both);
        Assert.Equal(1, scores[onset]);
        // Without the signal the same ordinary errors say nothing: the range is what saw it.
        var errorOnly = SeriesStreamScorer.Scores(OrdinaryErrors(values.Length), values, options: StreamScoreOptions.Default);
        Assert.True(errorOnly[onset] < 0.5, $"error-only score {errorOnly[onset]:F3}");
    }

    [Fact]
    public void A_reading_within_the_tolerance_of_the_range_is_not_out_of_range()
    {
        var values = Seasonal(5 * Period);
        var max = values.Max();
        var min = values.Min();
        var state = new StreamScoreState();
        foreach (var v in values) ValueSignal.Observe(ref state, v, Both);

        Assert.False(ValueSignal.Observe(ref state, max + 0.04 * (max - min), Both));
        Assert.True(ValueSignal.Observe(ref state, min - 0.06 * (max - min), Both));
    }

    [Fact]
    public void A_flat_line_fires_once_when_it_outlasts_the_longest_earlier_run()
    {
        var values = Seasonal(10 * Period);
        const int onset = 600;
        for (var t = onset; t < onset + 200; t++) values[t] = values[onset];

        // Noisy readings never repeat, so the stuck length is the a-priori minimum: 10 identical readings.
        Assert.Equal([onset + Both.StuckMinimum - 1], Fired(values, Both).Where(t => t >= Period));
        Assert.DoesNotContain(Fired(values, Both with { FlagStuck = false }), t => t >= Period);
    }

    [Fact]
    public void A_stream_that_repeats_readings_by_nature_needs_a_longer_run_to_be_stuck()
    {
        // Quantised readings: runs of up to 6 identical values are normal here (each run's level differs from the last).
        var random = new Random(7);
        var values = new List<double>();
        var level = -1;
        while (values.Count < 2_000)
        {
            var next = random.Next(4);
            level = next >= level ? next + 1 : next;
            values.AddRange(Enumerable.Repeat((double)level, 1 + random.Next(6)));
        }
        Assert.Equal(6, values.Select((v, i) => i).Max(i => values.Skip(i).TakeWhile(v => v == values[i]).Count()));
        var normal = values.Count;
        values.AddRange(Enumerable.Repeat(7.0, 12)); // twice the longest normal run is 12: not yet stuck
        values.Add(8);                               // the run of 12 is now the longest seen: stuck means 25 from here
        values.AddRange(Enumerable.Repeat(9.0, 40));

        var stuckOnly = Both with { FlagOutOfRange = false };
        Assert.Equal(13, ValueSignal.StuckLength(6, stuckOnly));
        Assert.Equal(25, ValueSignal.StuckLength(12, stuckOnly));
        Assert.Equal([normal + 13 + 25 - 1], Fired([.. values], stuckOnly));
    }

    [Fact]
    public void Nothing_fires_during_warm_up_or_without_a_reading()
    {
        var values = Enumerable.Range(0, Both.WarmUp).Select(t => t % 2 == 0 ? 0.0 : 1.0).Append(1_000).ToArray();
        Assert.Equal([Both.WarmUp], Fired(values, Both)); // the reading after warm-up is judged, those before are not
        Assert.Empty(Fired(values[..Both.WarmUp].Concat([0.0, 0.0]).ToArray(), Both));

        var state = new StreamScoreState();
        Assert.False(ValueSignal.Observe(ref state, double.NaN, Both));
        Assert.Equal(default, state);
    }

    [Fact]
    public void A_rows_score_depends_only_on_the_rows_before_it()
    {
        var values = Seasonal(1_500);
        for (var t = 900; t < values.Length; t++) values[t] += 5;
        var errors = OrdinaryErrors(values.Length);
        var original = SeriesStreamScorer.Scores(errors, values, options: Both);

        const int row = 1_000;
        var changedValues = (double[])values.Clone();
        var changedErrors = (float[])errors.Clone();
        var random = new Random(8);
        for (var t = row + 1; t < values.Length; t++)
        {
            changedValues[t] = 1_000 * random.NextDouble();
            changedErrors[t] = (float)(10 * random.NextDouble());
        }
        var changed = SeriesStreamScorer.Scores(changedErrors, changedValues, options: Both);

        Assert.Equal(original.AsSpan(0, row + 1).ToArray(), changed.AsSpan(0, row + 1).ToArray());
        Assert.NotEqual(original[^1], changed[^1]);
    }

    [Fact]
    public void Rows_without_an_error_do_not_enter_the_readings_history()
    {
        var values = Seasonal(400);
        var errors = OrdinaryErrors(values.Length);
        errors[0] = float.NaN;
        values[0] = 1_000; // a reading no grain would have judged: before the first full window

        var scores = SeriesStreamScorer.Scores(errors, values, options: Both);

        var state = new StreamScoreState();
        var expected = new double[values.Length];
        for (var t = 1; t < values.Length; t++) expected[t] = StreamScore.Update(ref state, errors[t], values[t], Both);
        Assert.Equal(expected, scores);
    }

    [Fact]
    public void The_signals_are_off_unless_asked_for() =>
        Assert.False(StreamScoreOptions.Default.FlagOutOfRange || StreamScoreOptions.Default.FlagStuck);
}
