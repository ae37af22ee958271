namespace Vigil.Detectors.Scoring;

/// <summary>
/// What a stream remembers about its own raw errors and readings: 104 bytes the device grain keeps in its state.
/// <see cref="Recent"/> is a short exponential average of log-errors (what "now" looks like), <see cref="Sustained"/>
/// a slower one (what the last few dozen readings look like); <see cref="Mean"/> and <see cref="Variance"/> describe
/// the distribution of the short average over the stream's history, <see cref="SustainedVariance"/> the spread of the slow one.
/// The fields from <see cref="Values"/> on describe the readings themselves (<see cref="ValueSignal"/>): how many were
/// seen, their range, the last one, the current run of identical readings and the longest earlier run.
/// </summary>
public record struct StreamScoreState(long Count, double Recent, double Mean, double Variance, double Sustained = 0, double SustainedVariance = 0, double Peak = 0,
    long Values = 0, double Min = 0, double Max = 0, double Last = 0, long Run = 0, long LongestRun = 0);

/// <summary>Tuning of <see cref="StreamScore"/>; <see cref="For"/> gives what each detector kind ships with.</summary>
public sealed record StreamScoreOptions
{
    /// <summary>Added to every error before the log (standardised units, i.e. 5 % of the stream's spread): errors below it
    /// count as "perfect", which keeps log-errors finite on flat streams and stops the log from stretching tiny
    /// differences into false alarms.</summary>
    public double ErrorFloor { get; init; } = 0.05;

    /// <summary>Weight of the newest log-error in the short average; 1 = no smoothing, so a spike scores at once.</summary>
    public double RecentWeight { get; init; } = 0.5;

    /// <summary>Readings after which the history forgets exponentially (before: plain running mean/variance).</summary>
    public int HistoryLength { get; init; } = 2000;

    /// <summary>No score (0) until the stream has this many errors: its distribution is not known yet.</summary>
    public int WarmUp { get; init; } = 50;

    /// <summary>The history's standard deviation never counts as smaller than this (log units).</summary>
    public double MinStd { get; init; } = 0.05;

    /// <summary>An error above mean + this many σ updates the history as if it were exactly there, so one anomaly
    /// does not make the next one look normal.</summary>
    public double UpdateClipSigma { get; init; } = 4;

    /// <summary>Also flag errors that are improbably <em>small</em> for this stream (its lower tail): a noisy sensor that
    /// suddenly becomes perfectly predictable is stuck (a flat-line), which a forecast error alone never reveals.</summary>
    public bool FlagTooPredictable { get; init; } = true;

    /// <summary>Weight of the newest log-error in the slow average the lower tail is judged on: being stuck is a
    /// sustained condition, and single tiny errors are common (|e| is often near 0 by chance).</summary>
    public double SustainedWeight { get; init; } = 0.1;

    /// <summary>After a score, later scores below its (linearly fading) peak are damped for about this many readings:
    /// an anomaly is reported when it starts or grows, not again on every reading while it lasts. 0 = off.</summary>
    public int RefractoryReadings { get; init; } = 0;

    /// <summary>What a score under the fading peak is multiplied by.</summary>
    public double RefractoryDamping { get; init; } = 0.5;

    /// <summary>Score 1 for a reading outside everything the stream has shown so far, widened by
    /// <see cref="RangeTolerance"/> (Numenta's "spatial anomaly" in its NAB detector): a forecaster or autoencoder
    /// learns to reproduce a new level within a window, but a level never seen is a surprise whatever the error says.</summary>
    public bool FlagOutOfRange { get; init; }

    /// <summary>Share of the seen range (max − min) a reading may lie beyond it before it counts as out of range.
    /// 0.05 is the spatial tolerance of Numenta's NAB detector, fixed a priori, not tuned here.</summary>
    public double RangeTolerance { get; init; } = 0.05;

    /// <summary>Score 1 when the stream repeats one reading for longer than <see cref="StuckFactor"/> times the longest
    /// run of identical readings it has shown before (and at least <see cref="StuckMinimum"/> readings): a sensor stuck at
    /// a value, which no error on standardised windows reveals once the window is full of it.</summary>
    public bool FlagStuck { get; init; }

    /// <summary>How many times its longest earlier run a run of identical readings must last to count as stuck (a priori).</summary>
    public double StuckFactor { get; init; } = 2;

    /// <summary>The shortest run of identical readings that can count as stuck (a priori).</summary>
    public int StuckMinimum { get; init; } = 10;

    public static StreamScoreOptions Default { get; } = new();

    /// <summary>
    /// The options each detector kind ships with: what the label-free selection chose for the shipped bundles
    /// (<c>vigil evaluate nab --select</c>: the best NAB 'standard' score on synthetic spikes, level shifts and
    /// flat-lines injected into NAB's probationary rows, over the fixed grid of
    /// <see cref="Evaluation.Selection.StreamScoreGrid"/>; NAB's labels are never read; the values are also in each
    /// bundle's manifest, <c>hyperparameters.streamScore</c>). Both judge the reading itself as well as the error
    /// (out of range, stuck: <see cref="ValueSignal"/>, synthetic standard 38.1 → 67.2 for the autoencoder and
    /// 40.2 → 65.2 for the forecaster), report an anomaly once (later scores below the fading peak muted: refractory 150
    /// readings for the forecaster, 400 for the autoencoder), and ignore errors under a share of the stream's spread
    /// (5 % for the forecaster, 10 % for the autoencoder). The forecaster's one-step errors are noisy, so it averages two
    /// readings; the autoencoder's window MAE is already smooth, so it scores each reading as it comes.
    /// </summary>
    public static StreamScoreOptions For(string kind) => kind switch
    {
        Bundles.DetectorKinds.LstmDcnn => Default with
        {
            RecentWeight = 0.5, ErrorFloor = 0.05, HistoryLength = 2000, UpdateClipSigma = 6, RefractoryReadings = 150, RefractoryDamping = 0,
            FlagOutOfRange = true, FlagStuck = true,
        },
        Bundles.DetectorKinds.Autoencoder => Default with
        {
            RecentWeight = 1, ErrorFloor = 0.1, HistoryLength = 2000, UpdateClipSigma = 4, RefractoryReadings = 400, RefractoryDamping = 0,
            FlagOutOfRange = true, FlagStuck = true,
        },
        _ => Default,
    };
}

/// <summary>
/// Turns a stream's raw error (forecast error, reconstruction MAE) into a score in [0, 1] that means the same on
/// every device: the tail probability p of the current short-term error under the stream's own error history
/// (a Gaussian over log-errors, in the spirit of Numenta's anomaly likelihood), reported on a log scale
/// <c>score = log(p) / log(1e-10)</c>. So score 0.5 ⇔ p = 1e-5, 0.6 ⇔ p = 1e-6: a threshold is a false-alarm rate,
/// whatever the device's scale or noise. The upper tail catches surprises; the lower tail (see
/// <see cref="StreamScoreOptions.FlagTooPredictable"/>) catches streams that stop moving. Pure functions over <see cref="StreamScoreState"/>.
/// </summary>
public static class StreamScore
{
    /// <summary>Smallest tail probability told apart; score 1.</summary>
    public const double MinTail = 1e-10;

    /// <summary>Scores the new raw error against the history, then folds it into the history (no reading: the
    /// <see cref="ValueSignal"/> stays out of it).</summary>
    public static double Update(ref StreamScoreState state, double rawError, StreamScoreOptions? options = null) =>
        Update(ref state, rawError, double.NaN, options);

    /// <summary>Scores the new raw error against the history, and the reading it came with (<paramref name="value"/>,
    /// NaN = none) against the readings seen before (<see cref="ValueSignal"/>), then folds both into the history.</summary>
    public static double Update(ref StreamScoreState state, double rawError, double value, StreamScoreOptions? options = null) =>
        Update(ref state, rawError, value, options, out _);

    /// <summary>As <see cref="Update(ref StreamScoreState, double, double, StreamScoreOptions?)"/>; <paramref name="unusualValue"/>
    /// says whether the reading tests (<see cref="ValueSignal"/>) flagged the reading, which a score of 1 alone does not
    /// tell: an error can reach 1 too.</summary>
    public static double Update(ref StreamScoreState state, double rawError, double value, StreamScoreOptions? options, out bool unusualValue)
    {
        var o = options ?? StreamScoreOptions.Default;
        // Judged against the readings before this one, like the error; an unusual reading is as surprising as it gets.
        unusualValue = ValueSignal.Observe(ref state, value, o);
        if (!double.IsFinite(rawError) || rawError < 0) rawError = 0;
        var u = Math.Log(rawError + o.ErrorFloor);
        var recent = state.Count == 0 ? u : state.Recent + o.RecentWeight * (u - state.Recent);
        var sustained = state.Count == 0 ? u : state.Sustained + o.SustainedWeight * (u - state.Sustained);

        var score = 0.0;
        var std = Math.Max(Math.Sqrt(state.Variance), o.MinStd);
        if (state.Count >= o.WarmUp)
        {
            var p = UpperTail((recent - state.Mean) / std);
            if (o.FlagTooPredictable)
                p = Math.Min(p, UpperTail((state.Mean - sustained) / Math.Max(Math.Sqrt(state.SustainedVariance), o.MinStd)));
            score = FromTailProbability(p);
        }
        if (unusualValue) score = 1;

        // History update (Welford, then exponential forgetting), with the anomaly's own weight clipped.
        var observed = state.Count >= o.WarmUp ? Math.Min(recent, state.Mean + o.UpdateClipSigma * std) : recent;
        var n = state.Count + 1;
        var weight = 1.0 / Math.Min(n, o.HistoryLength);
        var delta = observed - state.Mean;
        var mean = state.Mean + weight * delta;
        var variance = state.Count == 0 ? 0 : (1 - weight) * (state.Variance + weight * delta * delta);
        var peak = state.Peak;
        if (o.RefractoryReadings > 0)
        {
            var reported = score >= peak ? score : score * o.RefractoryDamping;
            peak = Math.Max(score, peak - 1.0 / o.RefractoryReadings);
            score = reported;
        }

        var sustainedDeviation = Math.Clamp(sustained - state.Mean, -o.UpdateClipSigma * std, o.UpdateClipSigma * std);
        var sustainedVariance = state.Count == 0 ? 0 : state.SustainedVariance + weight * (sustainedDeviation * sustainedDeviation - state.SustainedVariance);
        state = state with
        {
            Count = n, Recent = recent, Mean = mean, Variance = variance, Sustained = sustained, SustainedVariance = sustainedVariance, Peak = peak,
        };
        return score;
    }

    /// <summary>A history that starts from a prior (e.g. the training-error distribution in a bundle), worth
    /// <paramref name="pseudoCount"/> readings, so a new device scores from its first reading.</summary>
    public static StreamScoreState FromPrior(double logErrorMean, double logErrorStd, long pseudoCount) =>
        // The slow average's spread is unknown from a prior alone; a quarter of the raw spread is what an
        // exponential average with weight 0.1 keeps of independent errors.
        new(pseudoCount, logErrorMean, logErrorMean, logErrorStd * logErrorStd, logErrorMean, logErrorStd * logErrorStd / 16);

    /// <summary>log(p)/log(MinTail), clamped to [0, 1].</summary>
    public static double FromTailProbability(double p) =>
        Math.Clamp(Math.Log(Math.Max(p, MinTail)) / Math.Log(MinTail), 0, 1);

    /// <summary>Inverse of <see cref="FromTailProbability"/>.</summary>
    public static double ToTailProbability(double score) => Math.Exp(Math.Clamp(score, 0, 1) * Math.Log(MinTail));

    /// <summary>P(Z ≥ z) for a standard normal Z.</summary>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    // Complementary error function (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7), accurate deep in the tail.
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
                t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
