namespace Vigil.Contracts;

/// <summary>
/// One scoring of a window (or a frame) ending at <paramref name="T"/>: the detector's raw error and the [0, 1] score
/// the owning grain derived from it, with the threshold that applied at that moment.
/// </summary>
[GenerateSerializer, Immutable, Alias("vigil.score-point")]
public sealed record ScorePoint(
    [property: Id(0)] DateTimeOffset T,
    [property: Id(1)] float RawError,
    [property: Id(2)] float Score,
    [property: Id(3)] float Threshold);
