using Vigil.Contracts;

namespace Vigil.Grains.Devices;

/// <summary>
/// Everything a device grain persists. Sized for the 4 KB budget (60-reading window): flat arrays instead of
/// lists of records, 13 numbers of error and reading history per detector (see <c>DeviceStateSizeTests</c> for the measurement).
/// </summary>
[GenerateSerializer, Alias("vigil.device-state")]
public sealed class DeviceState
{
    /// <summary>Null until the first reading fixes the channel count.</summary>
    [Id(0)] public ReadingRing? Ring { get; set; }
    [Id(1)] public RunningStats? Stats { get; set; }
    [Id(2)] public List<DetectorTrack> Tracks { get; set; } = [];
    [Id(3)] public ScoreLog? Scores { get; set; }
    [Id(4)] public AdaptiveThreshold Threshold { get; set; } = new();
    [Id(5)] public AlertRecord? OpenAlert { get; set; }
    [Id(6)] public long TotalAccepted { get; set; }
    [Id(7)] public long TotalDuplicates { get; set; }
    [Id(8)] public long TotalLate { get; set; }

    /// <summary>Accepted readings since the last scoring.</summary>
    [Id(9)] public int SinceScore { get; set; }

    /// <summary>Consecutive scorings below the clear level while an alert is open.</summary>
    [Id(10)] public int CalmStreak { get; set; }

    /// <summary>Generic threshold of the bundle(s) last used, so the snapshot can show the threshold before any scoring.</summary>
    [Id(11)] public float GenericThreshold { get; set; } = float.NaN;

    [Id(12)] public string? ModelVersion { get; set; }

    /// <summary>Time of the first reading this state holds (Unix ms; 0 = none yet, or state stored before the field):
    /// where the readings' warm-up (<c>Vigil:Scoring:ReadingSignalWarmupHours</c>) counts from.</summary>
    [Id(13)] public long FirstReadingMs { get; set; }

    /// <summary>Consecutive scorings at or over the threshold while no alert is open (<c>Vigil:Scoring:RaiseAfter</c>).</summary>
    [Id(14)] public int OverStreak { get; set; }

    /// <summary>What the device measures, as declared (<see cref="Contracts.IDeviceGrain.SetKindAsync"/>); its threshold's
    /// fleet prior is that kind's. Null: never declared, the score's promise alone.</summary>
    [Id(15)] public string? Kind { get; set; }

    public DetectorTrack Track(string detector)
    {
        foreach (var t in Tracks)
            if (t.Detector == detector) return t;
        var track = new DetectorTrack { Detector = detector };
        Tracks.Add(track);
        return track;
    }
}
