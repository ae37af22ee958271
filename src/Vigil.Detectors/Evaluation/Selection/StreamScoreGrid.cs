using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Evaluation.Selection;

/// <summary>
/// The settings <see cref="NabSettingsSelection"/> chooses among, fixed before any run: every combination of the
/// stream-scoring knobs below (256 per network variant: 64 of the error's own knobs, each without and with the reading's out-of-range and stuck signals), and for the autoencoder whether its raw error covers the
/// newest quarter of the window or all of it. Listed simplest first, so a tie keeps the simpler setting.
/// </summary>
public static class StreamScoreGrid
{
    public static IReadOnlyList<StreamScoreOptions> Candidates()
    {
        var list = new List<StreamScoreOptions>();
        // The reading's own signals (ValueSignal) at their a-priori tolerances: none, out of range, stuck, both.
        foreach (var (outOfRange, stuck) in new[] { (false, false), (true, false), (false, true), (true, true) })
        foreach (var (refractory, damping) in new[] { (0, 0.5), (150, 0.0), (400, 0.0), (400, 0.5) })
        foreach (var recentWeight in new[] { 1.0, 0.5 })
        foreach (var errorFloor in new[] { 0.05, 0.1 })
        foreach (var history in new[] { 1000, 2000 })
        foreach (var clip in new[] { 4.0, 6.0 })
            list.Add(StreamScoreOptions.Default with
            {
                RecentWeight = recentWeight,
                ErrorFloor = errorFloor,
                HistoryLength = history,
                UpdateClipSigma = clip,
                RefractoryReadings = refractory,
                RefractoryDamping = damping,
                FlagOutOfRange = outOfRange,
                FlagStuck = stuck,
            });
        return list;
    }

    /// <summary>Raw-error reductions tried per kind: the autoencoder's newest quarter or whole window; the forecaster's
    /// error is over its horizon only (0 = the bundle's own).</summary>
    public static IReadOnlyList<int> ScoredSteps(string kind, int window) =>
        kind == DetectorKinds.Autoencoder ? [Math.Max(1, window / 4), window] : [0];

    /// <summary>One line for tables: the knobs that vary.</summary>
    public static string Describe(StreamScoreOptions o) =>
        FormattableString.Invariant(
            $"recent {o.RecentWeight:0.##} floor {o.ErrorFloor:0.##} history {o.HistoryLength} clip {o.UpdateClipSigma:0}σ refractory {o.RefractoryReadings}") +
        (o.RefractoryReadings > 0 ? FormattableString.Invariant($"×{o.RefractoryDamping:0.#}") : "") +
        (o.FlagOutOfRange ? " out-of-range" : "") + (o.FlagStuck ? " stuck" : "");
}
