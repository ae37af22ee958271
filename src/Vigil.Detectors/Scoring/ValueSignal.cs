namespace Vigil.Detectors.Scoring;

/// <summary>
/// What the readings themselves say, beside the detector's error (<see cref="StreamScore"/> combines both). Two
/// record-breaking tests, each against the stream's own past only:
/// <list type="bullet">
/// <item><b>out of range</b> (<see cref="StreamScoreOptions.FlagOutOfRange"/>): the reading lies beyond the lowest or
/// highest reading seen so far by more than <see cref="StreamScoreOptions.RangeTolerance"/> of that range. A network
/// that sees standardised windows rebuilds a new level after a few readings; the range remembers it was never seen.
/// Once seen, it is part of the range, so a level shift is reported once, at its onset.</item>
/// <item><b>stuck</b> (<see cref="StreamScoreOptions.FlagStuck"/>): the same reading repeated for longer than the
/// stream's longest earlier run of identical readings allows. Reported once, when the run crosses that length.</item>
/// </list>
/// Neither speaks before the stream has shown <see cref="StreamScoreOptions.WarmUp"/> readings. Pure function of the
/// state; no allocation.
/// </summary>
public static class ValueSignal
{
    /// <summary>Judges <paramref name="value"/> against the readings before it, then folds it in. NaN (no reading,
    /// e.g. a multi-channel device) leaves the state as it is and says nothing.</summary>
    public static bool Observe(ref StreamScoreState state, double value, StreamScoreOptions options)
    {
        if (!double.IsFinite(value)) return false;
        if (state.Values == 0)
        {
            state = state with { Values = 1, Min = value, Max = value, Last = value, Run = 1, LongestRun = 0 };
            return false;
        }

        var judged = state.Values >= options.WarmUp;
        var unusual = false;
        if (options.FlagOutOfRange && judged && state.Max > state.Min)
        {
            var tolerance = options.RangeTolerance * (state.Max - state.Min);
            unusual = value > state.Max + tolerance || value < state.Min - tolerance;
        }

        long run, longest = state.LongestRun;
        if (value == state.Last)
        {
            run = state.Run + 1;
            // Exactly at the crossing, so a long stuck spell is reported once, not on every reading it lasts.
            if (options.FlagStuck && judged && run == StuckLength(longest, options)) unusual = true;
        }
        else
        {
            longest = Math.Max(longest, state.Run);
            run = 1;
        }

        state = state with
        {
            Values = state.Values + 1,
            Min = Math.Min(state.Min, value),
            Max = Math.Max(state.Max, value),
            Last = value,
            Run = run,
            LongestRun = longest,
        };
        return unusual;
    }

    /// <summary>The run of identical readings that counts as stuck, given the longest earlier run.</summary>
    public static long StuckLength(long longestEarlierRun, StreamScoreOptions options) =>
        Math.Max(options.StuckMinimum, (long)Math.Ceiling(options.StuckFactor * longestEarlierRun) + 1);
}
