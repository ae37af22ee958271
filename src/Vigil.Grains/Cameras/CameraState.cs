using Vigil.Contracts;
using Vigil.Grains.Devices;

namespace Vigil.Grains.Cameras;

/// <summary>What a camera grain persists: recent frame scores, its frame and tile baselines, the last heat map and the open alert.</summary>
[GenerateSerializer, Alias("vigil.camera-state")]
public sealed class CameraState
{
    [Id(0)] public long TotalFrames { get; set; }
    [Id(1)] public long LastFrameMs { get; set; } = long.MinValue;
    [Id(2)] public ScoreLog? Scores { get; set; }

    /// <summary>Running average of this camera's calm frame scores: what its scene normally looks like to the model.</summary>
    [Id(3)] public float Baseline { get; set; }

    /// <summary>Frames folded into <see cref="Baseline"/>.</summary>
    [Id(4)] public long BaselineFrames { get; set; }

    [Id(5)] public HeatMap? LastHeatMap { get; set; }
    [Id(6)] public AlertRecord? OpenAlert { get; set; }
    [Id(7)] public int CalmStreak { get; set; }
    [Id(8)] public string? ModelVersion { get; set; }
    [Id(9)] public float Threshold { get; set; } = float.NaN;

    /// <summary>
    /// The per-day false-alert threshold on the frame score (<see cref="Devices.AdaptiveThreshold"/>, the sensors'
    /// rule and prior); null in state stored before it existed, and begun again whenever the tile statistics are.
    /// </summary>
    [Id(10)] public AdaptiveThreshold? ThresholdLadder { get; set; }

    /// <summary>Running mean of each tile's calm scores, row-major (<see cref="CameraBaseline"/>); null in state stored before it existed.</summary>
    [Id(11)] public float[]? TileBaselines { get; set; }

    /// <summary>Running variance of each tile's calm scores, beside <see cref="TileBaselines"/>.</summary>
    [Id(12)] public float[]? TileVariances { get; set; }

    /// <summary>Each tile's highest score, relaxing towards its mean (<see cref="CameraBaseline.RaisePeaks"/>).</summary>
    [Id(13)] public float[]? TilePeaks { get; set; }
}
