namespace Vigil.Contracts;

/// <summary>Recent frame scores of a camera, what it has learnt of its scene, and its alert state.</summary>
/// <param name="Baseline">Running mean of this camera's calm frame scores (the model's calibrated [0, 1] frame score).</param>
/// <param name="TileMeans">Running mean of each tile's calm scores, row-major as <see cref="LastHeatMap"/>: what the frame scores are judged against.</param>
/// <param name="TileSpreads">The spread each tile is judged by beside <paramref name="TileMeans"/> (its calm scores' standard deviation, at least a floor and its recent peak's excess over its mean).</param>
[GenerateSerializer, Immutable, Alias("vigil.camera-snapshot")]
public sealed record CameraSnapshot(
    [property: Id(0)] string Home,
    [property: Id(1)] string Camera,
    [property: Id(2)] string? ModelVersion,
    [property: Id(3)] long TotalFrames,
    [property: Id(4)] ScorePoint[] LastScores,
    [property: Id(5)] float Baseline,
    [property: Id(6)] float Threshold,
    [property: Id(7)] HeatMap? LastHeatMap,
    [property: Id(8)] AlertRecord? OpenAlert,
    [property: Id(9)] float[]? TileMeans = null,
    [property: Id(10)] float[]? TileSpreads = null);
