namespace Vigil.Grains.Options;

/// <summary><c>Vigil:Scoring</c>: how device grains keep windows and decide alerts.</summary>
public sealed class ScoringOptions
{
    public const string Section = "Vigil:Scoring";

    /// <summary><c>lstm-dcnn</c> (default), <c>autoencoder</c> or <c>ensemble</c> (both; the device's score is the mean of theirs).</summary>
    public string Detector { get; set; } = "lstm-dcnn";

    /// <summary>Readings per channel the ring buffer keeps; raised to the model's input length when that is longer.</summary>
    public int Window { get; set; } = 60;

    /// <summary>A scoring every <c>Stride</c> accepted readings.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>A reading older than the last one by at most this much is counted as late and ignored; beyond, rejected.</summary>
    public double ReorderToleranceSeconds { get; set; } = 5;

    /// <summary>Recent raw errors kept per device and detector: the stream's own error distribution the score is relative to.</summary>
    public int ErrorHistory { get; set; } = 64;

    /// <summary>Scorings kept for the snapshot.</summary>
    public int ScoreHistory { get; set; } = 16;

    /// <summary>
    /// False alerts a device may raise per day: its threshold is the lowest score level at which its own history (and a
    /// prior) shows at most this many alerts per day (<see cref="Devices.AdaptiveThreshold"/>). Lower = quieter and
    /// blinder; the README's simulate section has what each costs in found anomalies.
    /// </summary>
    public double FalseAlertsPerDay { get; set; } = 1;

    /// <summary>
    /// The same for a camera (its frame score relative to its scene). A separate budget, and a larger one by default:
    /// a camera sends thousands of frames a day and a person walking through is a change too (the README's cameras
    /// section has the runs behind the default).
    /// </summary>
    public double CameraFalseAlertsPerDay { get; set; } = 10;

    /// <summary>
    /// Smallest spread a camera tile's score is judged by (frame-cnn score units): a tile that has barely moved in its
    /// calm frames would otherwise make the smallest wobble many spreads. At 0.005 a change of 0.071 in one tile of a
    /// 16-tile frame that has not moved scores 0.5 (README, cameras).
    /// </summary>
    public double CameraMinTileSpread { get; set; } = 0.005;

    /// <summary>Hours of history the prior is worth (what the calibrated score promises, before the device's own alerts
    /// count): how long a new device's threshold leans on the promise rather than on its own first hours.</summary>
    public double ThresholdPriorHours { get; set; } = 6;

    /// <summary>
    /// Consecutive scorings at or over the threshold before a device raises an alert. 1 raises on the first; more trade
    /// a one-reading spike for fewer false alerts (see the README's simulate section for what each costs).
    /// </summary>
    public int RaiseAfter { get; set; } = 1;

    /// <summary>Consecutive scorings below the clear level before an open alert is cleared (hysteresis against flapping).</summary>
    public int ClearAfter { get; set; } = 3;

    /// <summary>Fraction of the threshold a score must fall below to count towards clearing.</summary>
    public double ClearRatio { get; set; } = 0.8;

    /// <summary>
    /// Hours of readings a device must have shown before its readings are judged out of range or stuck (ValueSignal);
    /// until then those tests only learn. A home's temperature, humidity or power only shows its range over a full
    /// daily cycle: judged earlier, every new high of the first morning would be an alert. 0 = judge from the start,
    /// as `vigil evaluate nab` does (NAB's probationary rows, where nothing is scored, span about two days).
    /// </summary>
    public double ReadingSignalWarmupHours { get; set; } = 24;

    /// <summary>What a device's threshold aims at, with the alert rules its levels play.</summary>
    public Devices.ThresholdBudget Budget => new(FalseAlertsPerDay, ThresholdPriorHours, RaiseAfter, ClearAfter, ClearRatio);

    /// <summary>What a camera's threshold aims at; a camera raises on its first frame over the threshold.</summary>
    public Devices.ThresholdBudget CameraBudget => new(CameraFalseAlertsPerDay, ThresholdPriorHours, 1, ClearAfter, ClearRatio);

    public IReadOnlyList<string> Detectors => Detector == "ensemble" ? ["lstm-dcnn", "autoencoder"] : [Detector];

    public IEnumerable<string> Validate()
    {
        if (Detector is not ("lstm-dcnn" or "autoencoder" or "ensemble")) yield return $"{Section}:Detector must be lstm-dcnn, autoencoder or ensemble (is '{Detector}').";
        if (Window is < 2 or > 1024) yield return $"{Section}:Window must be 2..1024 (is {Window}).";
        if (Stride < 1 || Stride > Window) yield return $"{Section}:Stride must be 1..Window ({Window}) (is {Stride}).";
        if (!(ReorderToleranceSeconds >= 0 && ReorderToleranceSeconds <= 3600)) yield return $"{Section}:ReorderToleranceSeconds must be 0..3600 (is {ReorderToleranceSeconds}).";
        if (ErrorHistory is < 8 or > 1024) yield return $"{Section}:ErrorHistory must be 8..1024 (is {ErrorHistory}).";
        if (ScoreHistory is < 1 or > 256) yield return $"{Section}:ScoreHistory must be 1..256 (is {ScoreHistory}).";
        if (!(ReadingSignalWarmupHours >= 0 && ReadingSignalWarmupHours <= 24 * 365)) yield return $"{Section}:ReadingSignalWarmupHours must be 0..8760 (is {ReadingSignalWarmupHours}).";
        if (!(FalseAlertsPerDay > 0 && FalseAlertsPerDay <= 86_400)) yield return $"{Section}:FalseAlertsPerDay must be in (0, 86400] (is {FalseAlertsPerDay}).";
        if (!(CameraFalseAlertsPerDay > 0 && CameraFalseAlertsPerDay <= 86_400)) yield return $"{Section}:CameraFalseAlertsPerDay must be in (0, 86400] (is {CameraFalseAlertsPerDay}).";
        if (!(CameraMinTileSpread > 0 && CameraMinTileSpread <= 1)) yield return $"{Section}:CameraMinTileSpread must be in (0, 1] (is {CameraMinTileSpread}).";
        if (!(ThresholdPriorHours > 0 && ThresholdPriorHours <= 24 * 30)) yield return $"{Section}:ThresholdPriorHours must be in (0, 720] (is {ThresholdPriorHours}).";
        if (RaiseAfter is < 1 or > 3600) yield return $"{Section}:RaiseAfter must be 1..3600 (is {RaiseAfter}).";
        if (ClearAfter < 1) yield return $"{Section}:ClearAfter must be at least 1 (is {ClearAfter}).";
        if (!(ClearRatio > 0 && ClearRatio <= 1)) yield return $"{Section}:ClearRatio must be in (0, 1] (is {ClearRatio}).";
    }
}
