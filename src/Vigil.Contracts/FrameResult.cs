namespace Vigil.Contracts;

/// <summary>What a camera grain did with a frame.</summary>
/// <param name="Accepted">False when the frame was rejected (see <paramref name="Reason"/>): bad size, older than the last frame.</param>
/// <param name="Score">Frame score in [0, 1] (max over tiles, relative to the camera's baseline); null when not accepted.</param>
[GenerateSerializer, Immutable, Alias("vigil.frame-result")]
public sealed record FrameResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] string? Reason,
    [property: Id(2)] ScorePoint? Score,
    [property: Id(3)] HeatMap? HeatMap,
    [property: Id(4)] AlertRecord? OpenAlert);
