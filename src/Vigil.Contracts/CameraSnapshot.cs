namespace Vigil.Contracts;

/// <summary>Recent frame scores of a camera, its baseline and alert state.</summary>
/// <param name="Baseline">Typical raw frame error of this camera (running median-like estimate), what scores are relative to.</param>
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
    [property: Id(8)] AlertRecord? OpenAlert);
