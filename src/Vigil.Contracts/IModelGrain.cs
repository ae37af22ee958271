namespace Vigil.Contracts;

/// <summary>
/// Hosts one detector bundle; key <c>detector/version/slot</c> (<see cref="GrainKeys.ForModel"/>; version
/// <see cref="GrainKeys.LatestVersion"/> follows the newest published bundle). Placed only on accelerator silos.
/// Requests are batched: one forward pass per batch. A full queue throws <see cref="OverloadedException"/>.
/// </summary>
[Alias("vigil.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Loads the bundle if needed and describes it.</summary>
    [Alias("GetInfo")]
    Task<ModelInfo> GetInfoAsync();

    [Alias("ScoreSeries")]
    Task<SeriesScoreResult> ScoreSeriesAsync(SeriesScoreRequest request);

    /// <summary>
    /// Several windows of one caller (a device's readings since its last call, or one window per channel) in one
    /// message: one grain call instead of one per window. Each window still joins the batch queue on its own, so
    /// the forward passes batch them with everyone else's. Results are in request order.
    /// </summary>
    [Alias("ScoreSeriesMany")]
    Task<SeriesScoreResult[]> ScoreSeriesManyAsync(SeriesScoreRequest[] requests);

    [Alias("ScoreFrame")]
    Task<FrameScoreResult> ScoreFrameAsync(FrameData frame);

    /// <summary>
    /// Looks for a newer bundle now (the grain also polls) and swaps to it: new requests go to the new detector,
    /// requests already queued finish on the old one, which is then disposed. Returns what is hosted afterwards.
    /// </summary>
    [Alias("Refresh")]
    Task<ModelInfo> RefreshAsync();
}
