namespace Vigil.Contracts;

/// <summary>Raw per-tile errors of one frame (frame error = max tile), with the batch it rode in.</summary>
[GenerateSerializer, Immutable, Alias("vigil.frame-score-result")]
public sealed record FrameScoreResult(
    [property: Id(0)] float RawError,
    [property: Id(1)] HeatMap Tiles,
    [property: Id(2)] string Version,
    [property: Id(3)] int BatchSize,
    [property: Id(4)] TimeSpan QueueWait);
