namespace Vigil.Contracts;

/// <summary>
/// One frame scored by the frame model: the raw value of its most anomalous tile, the calibrated frame
/// <paramref name="Score"/> in [0, 1] (max over tiles) and every tile's score, with the batch it rode in.
/// </summary>
[GenerateSerializer, Immutable, Alias("vigil.frame-score-result")]
public sealed record FrameScoreResult(
    [property: Id(0)] float RawError,
    [property: Id(1)] HeatMap Tiles,
    [property: Id(2)] string Version,
    [property: Id(3)] int BatchSize,
    [property: Id(4)] TimeSpan QueueWait,
    [property: Id(5)] float Score);
