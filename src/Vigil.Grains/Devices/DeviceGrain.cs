using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Vigil.Contracts;
using Vigil.Grains.Models;
using Vigil.Grains.Options;
using Vigil.Telemetry;

namespace Vigil.Grains.Devices;

/// <summary>
/// One sensor stream: validates and stores readings, scores a window every stride through the model grain(s) of its
/// detector kind, keeps a per-device threshold and raises or clears its alert on the home. An acknowledged batch is
/// in grain storage: the state is written before <see cref="AppendAsync"/> returns (one write per batch).
/// </summary>
internal sealed partial class DeviceGrain(
    [PersistentState("device", GrainStorage.Name)] IPersistentState<DeviceState> store,
    IOptions<ScoringOptions> scoringOptions,
    IOptions<BatchingOptions> batchingOptions,
    DeepCopier<DeviceState> copier,
    ILogger<DeviceGrain> log) : Grain, IDeviceGrain
{
    /// <summary>After a failed model lookup, how long scoring is skipped before asking again.</summary>
    private static readonly TimeSpan ModelRetry = TimeSpan.FromSeconds(15);

    /// <summary>Data a device's threshold counts cover before it reports them to its kind's fleet prior.</summary>
    internal const double FleetReportSeconds = 3_600;

    private readonly ScoringOptions options = scoringOptions.Value;
    private readonly Dictionary<string, ModelInfo> models = [];
    private readonly HashSet<string> warnedMisfit = [];
    private DateTimeOffset modelsUnavailableUntil;
    private FleetPrior? fleet;
    private DateTimeOffset fleetUnavailableUntil;
    private string home = "";
    private string device = "";

    private DeviceState State => store.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (home, device) = GrainKeys.ParseMember(this.GetPrimaryKeyString());
        VigilDiagnostics.ActiveDevices.Add(1);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        VigilDiagnostics.ActiveDevices.Add(-1);
        return Task.CompletedTask;
    }

    public async Task<IngestResult> AppendAsync(ReadingBatch batch)
    {
        var received = Stopwatch.GetTimestamp();
        var readings = batch.Readings ?? [];
        var verdict = ReadingClassifier.Classify(State.Ring, readings, TimeSpan.FromSeconds(options.ReorderToleranceSeconds));
        if (verdict.Rejections.Count > 0)
        {
            foreach (var r in verdict.Rejections)
                VigilDiagnostics.ReadingsRejected.Add(1, new KeyValuePair<string, object?>(VigilDiagnostics.Tags.Reason, Category(r.Reason)));
            return new IngestResult(false, 0, verdict.Duplicates, verdict.Late, [.. verdict.Rejections], [], State.OpenAlert);
        }
        if (verdict.Accepted.Count == 0)
        {
            State.TotalDuplicates += verdict.Duplicates;
            State.TotalLate += verdict.Late;
            return new IngestResult(true, 0, verdict.Duplicates, verdict.Late, [], [], State.OpenAlert);
        }

        await EnsureModelInfoAsync();
        await EnsureFleetPriorAsync();
        // Scoring may answer "overloaded"; the batch must then leave no trace, so keep the state as it was.
        var before = copier.Copy(State);
        var due = Apply(verdict, out var windows);
        ScoringOutcome outcome;
        try
        {
            outcome = await ScoreAsync(due, windows);
        }
        catch (OverloadedException)
        {
            store.State = before;
            throw;
        }

        State.TotalDuplicates += verdict.Duplicates;
        State.TotalLate += verdict.Late;
        // Taken before the write, sent after it: a report is never counted twice (a failed write restores the counts
        // and the retried batch takes them again), at the price of one lost if the silo dies between the two.
        var report = State.Kind is null ? null : State.Threshold.TakeReport(FleetReportSeconds);
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            // Not stored, so not acknowledged: the client retries, and the retry must be applied and written again
            // rather than found in memory as duplicates and acknowledged without ever reaching storage.
            store.State = before;
            throw;
        }
        if (report is not null)
            await ReportToFleetAsync(report);
        VigilDiagnostics.ReadingsAccepted.Add(verdict.Accepted.Count);
        if (outcome.Points.Count > 0)
            VigilDiagnostics.IngestToScore.Record(Stopwatch.GetElapsedTime(received).TotalMilliseconds,
                new KeyValuePair<string, object?>(VigilDiagnostics.Tags.Detector, options.Detector));
        await NotifyHomeAsync(outcome.Transitions);
        return new IngestResult(true, verdict.Accepted.Count, verdict.Duplicates, verdict.Late, [], [.. outcome.Points], State.OpenAlert);
    }

    public async Task<DeviceSnapshot> GetSnapshotAsync()
    {
        await EnsureFleetPriorAsync(); // the threshold shown is the one the next scoring would be held to
        var ring = State.Ring;
        var readings = new Reading[ring?.Count ?? 0];
        for (var i = 0; i < readings.Length; i++)
            readings[i] = new Reading(DateTimeOffset.FromUnixTimeMilliseconds(ring!.TimeAt(i)), ring.ValuesAt(i).ToArray());
        return new DeviceSnapshot(home, device, options.Detector, State.ModelVersion,
            ring?.Capacity ?? options.Window, ring?.Count ?? 0, ring?.Channels ?? 0,
            State.TotalAccepted, State.TotalDuplicates, State.TotalLate, readings, State.Scores?.ToArray() ?? [],
            CurrentThreshold(), State.OpenAlert, GrainContext.Address.SiloAddress?.ToParsableString(), State.Kind);
    }

    public async Task SetKindAsync(string kind)
    {
        GrainKeys.Validated(kind, "kind");
        if (State.Kind == kind)
            return;
        State.Kind = kind;
        // Counts not yet reported were made as another kind (or none): they do not belong to this kind's fleet.
        State.Threshold.TakeReport(0);
        fleet = null;
        fleetUnavailableUntil = default;
        await store.WriteStateAsync();
    }

    /// <summary>
    /// Pushes the accepted readings and cuts the windows due every stride, collected per detector (one model call
    /// per detector for the whole batch rather than one per window).
    /// </summary>
    private List<DueScoring> Apply(ReadingClassifier.Classification verdict, out Dictionary<string, List<SeriesScoreRequest>> windows)
    {
        windows = [];
        var channels = verdict.Accepted[0].Values.Length;
        State.Ring ??= ReadingRing.Create(options.Window, channels);
        State.Stats ??= RunningStats.Create(channels);
        State.Scores ??= ScoreLog.Create(options.ScoreHistory);
        var ring = State.Ring;
        foreach (var info in models.Values)
            ring.EnsureCapacity(info.InputLength);
        // Stored before the first scoring too, so the snapshot shows the threshold in force after a reactivation.
        if (models.Count == options.Detectors.Count)
            State.GenericThreshold = GenericThreshold(models.Values);

        var due = new List<DueScoring>();
        foreach (var (timeMs, values) in verdict.Accepted)
        {
            ring.Push(timeMs, values);
            if (State.FirstReadingMs == 0) State.FirstReadingMs = timeMs;
            State.TotalAccepted++;
            State.SinceScore++;
            // The window is normalised with statistics of the readings before the newest, so a spike is measured
            // against what came before it rather than diluting its own yardstick; then it is folded in.
            // With the ensemble, a window is scored once every detector can score it: a score made of one detector
            // on some windows and of two on others would not mean the same thing.
            if (State.SinceScore >= options.Stride && AllCanScore(ring))
            {
                State.SinceScore = 0;
                var calls = new List<DetectorCall>(models.Count);
                foreach (var (detector, info) in models)
                {
                    if (!windows.TryGetValue(detector, out var requests))
                        windows[detector] = requests = [];
                    calls.Add(new DetectorCall(detector, info, requests.Count, AddWindows(info, requests)));
                }
                // The reading itself is judged too (out of range, stuck: ValueSignal), as `vigil evaluate nab` judges it;
                // a multi-channel device has no one reading to judge, so only its errors speak.
                due.Add(new DueScoring(timeMs, ring.Channels == 1 ? values[0] : float.NaN, calls));
            }
            State.Stats.Update(values);
        }
        return due;
    }

    /// <summary>
    /// With the ensemble, a window is scored once every detector can score it: a score made of one detector on some
    /// windows and of two on others would not mean the same thing.
    /// </summary>
    private bool AllCanScore(ReadingRing ring)
    {
        if (models.Count == 0)
            return false;
        foreach (var (detector, info) in models)
        {
            if (!Fits(detector, info, ring.Channels) || ring.Count < info.InputLength)
                return false;
        }
        return true;
    }

    /// <summary>
    /// One window, or one per channel when the model was trained on single-channel series (the device then scores as
    /// its most anomalous channel). Returns how many were added.
    /// </summary>
    private int AddWindows(ModelInfo info, List<SeriesScoreRequest> requests)
    {
        var ring = State.Ring!;
        var key = this.GetPrimaryKeyString();
        if (info.Channels == ring.Channels)
        {
            requests.Add(new SeriesScoreRequest(key, WindowInputs.Build(ring, State.Stats!, info, channel: null)));
            return 1;
        }
        for (var c = 0; c < ring.Channels; c++)
            requests.Add(new SeriesScoreRequest(key, WindowInputs.Build(ring, State.Stats!, info, channel: c)));
        return ring.Channels;
    }

    private bool Fits(string detector, ModelInfo info, int channels)
    {
        if (info.Channels == channels || info.Channels == 1)
            return true;
        if (warnedMisfit.Add(detector))
            log.LogWarning("Device {Key} has {Channels} channels; {Detector} {Version} scores {ModelChannels}-channel windows, so it does not score this device",
                this.GetPrimaryKeyString(), channels, detector, info.Version, info.Channels);
        return false;
    }

    private async Task<ScoringOutcome> ScoreAsync(List<DueScoring> due, Dictionary<string, List<SeriesScoreRequest>> windows)
    {
        var outcome = new ScoringOutcome([], []);
        if (due.Count == 0)
            return outcome;
        using var activity = VigilDiagnostics.ActivitySource.StartActivity("vigil.device.score");
        activity?.SetTag(VigilDiagnostics.Tags.Home, home);
        activity?.SetTag(VigilDiagnostics.Tags.Device, device);
        activity?.SetTag(VigilDiagnostics.Tags.Detector, options.Detector);
        var slot = GrainKeys.SlotFor(this.GetPrimaryKeyString(), batchingOptions.Value.SlotsPerModel);
        var calls = new List<(string Detector, Task<SeriesScoreResult[]> Results)>(windows.Count);
        foreach (var (detector, requests) in windows)
            calls.Add((detector, GrainFactory.GetGrain<IModelGrain>(GrainKeys.ForModel(detector, GrainKeys.LatestVersion, slot))
                .ScoreSeriesManyAsync([.. requests])));
        var results = new Dictionary<string, SeriesScoreResult[]>(calls.Count);
        try
        {
            foreach (var (detector, pending) in calls)
                results[detector] = await pending;
        }
        catch (Exception e) when (e is not OverloadedException)
        {
            // The readings stay stored; these windows go unscored rather than scored with something made up.
            log.LogWarning(e, "Device {Key}: scoring failed; {Count} window(s) left unscored", this.GetPrimaryKeyString(), due.Count);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            models.Clear();
            modelsUnavailableUntil = DateTimeOffset.UtcNow + ModelRetry;
            return outcome;
        }

        foreach (var scoring in due)
            Decide(scoring, results, outcome);
        activity?.SetTag(VigilDiagnostics.Tags.Version, State.ModelVersion);
        activity?.SetTag(VigilDiagnostics.Tags.Score, outcome.Points[^1].Score);
        activity?.SetTag(VigilDiagnostics.Tags.Alert, State.OpenAlert is not null);
        return outcome;
    }

    /// <summary>
    /// Raw errors → per-detector scores (a multi-channel device scores as its worst channel) → the device's score →
    /// threshold → alert transitions. With the ensemble, the device's score combines the detectors' scores by the rule
    /// `vigil evaluate nab` evaluates (<see cref="Vigil.Detectors.Series.EnsembleScore.Default"/>, chosen without labels),
    /// so a device scores as the evaluation did. The recorded raw error is the first detector's.
    /// </summary>
    private void Decide(DueScoring scoring, Dictionary<string, SeriesScoreResult[]> resultsByDetector, ScoringOutcome outcome)
    {
        float firstRaw = 0;
        double combined = double.NaN;
        var readingFlagged = false;
        string? version = null;
        foreach (var call in scoring.Calls)
        {
            var results = resultsByDetector[call.Detector].AsSpan(call.First, call.Count);
            var raw = float.NegativeInfinity;
            foreach (var r in results)
                raw = Math.Max(raw, r.RawError);
            var resultVersion = results[0].Version;
            if (resultVersion != call.Info.Version)
                models.Remove(call.Detector); // swapped under us: fetch the new shape before the next window
            var score = State.Track(call.Detector).Score(resultVersion, raw, scoring.Value, JudgesReadings(scoring.TimeMs), out var flagged);
            readingFlagged |= flagged;
            combined = double.IsNaN(combined) ? score : Vigil.Detectors.Series.EnsembleScore.Combine(combined, score);
            if (version is null)
                (firstRaw, version) = (raw, resultVersion);
        }
        var best = (float)combined;
        var bestRaw = firstRaw;
        State.ModelVersion = version;
        var generic = GenericThreshold(scoring.Calls.Select(c => c.Info));
        State.GenericThreshold = generic;
        var threshold = State.Threshold.Current(generic, options.Budget, readingsOnlyRung: JudgesReadings(scoring.TimeMs), fleet);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(scoring.TimeMs);
        var point = new ScorePoint(at, bestRaw, best, threshold);
        State.Scores!.Add(point);
        outcome.Points.Add(point);
        ObserveForThreshold(scoring.TimeMs, best, readingFlagged); // after the threshold for this scoring is fixed

        if (State.OpenAlert is null)
        {
            State.OverStreak = AdaptiveThreshold.IsOver(threshold, best, readingFlagged) ? State.OverStreak + 1 : 0;
            if (State.OverStreak >= options.RaiseAfter)
            {
                State.OverStreak = 0;
                State.OpenAlert = new AlertRecord(AlertRecord.MakeId(home, device, at), home, device, AlertKind.Sensor, options.Detector, version,
                    at, null, best, threshold, AlertMessage(best, threshold, version), null, []);
                State.CalmStreak = 0;
                outcome.Transitions.Add(State.OpenAlert);
            }
            return;
        }

        State.CalmStreak = best < threshold * options.ClearRatio ? State.CalmStreak + 1 : 0;
        if (State.CalmStreak >= options.ClearAfter)
        {
            outcome.Transitions.Add(State.OpenAlert with { ClearedAt = at });
            State.OpenAlert = null;
            State.CalmStreak = 0;
        }
    }

    private async Task NotifyHomeAsync(List<AlertRecord> transitions)
    {
        if (transitions.Count == 0)
            return;
        var homeGrain = GrainFactory.GetGrain<IHomeGrain>(GrainKeys.ForHome(home));
        foreach (var alert in transitions)
        {
            try
            {
                if (alert.IsOpen)
                {
                    VigilDiagnostics.AlertsRaised.Add(1, new KeyValuePair<string, object?>(VigilDiagnostics.Tags.Kind, nameof(AlertKind.Sensor)));
                    await homeGrain.RaiseAsync(alert);
                }
                else
                {
                    await homeGrain.ClearAsync(device, alert.ClearedAt!.Value);
                }
            }
            catch (Exception e)
            {
                // The readings are stored and the alert is in this grain's state (the snapshot shows it); the home
                // hears of it at the next transition. Failing the ingest here would make the client resend stored data.
                log.LogWarning(e, "Device {Key}: could not tell home {Home} about alert {Alert}", this.GetPrimaryKeyString(), home, alert.Id);
            }
        }
    }

    private async Task EnsureModelInfoAsync()
    {
        if (models.Count == options.Detectors.Count || DateTimeOffset.UtcNow < modelsUnavailableUntil)
            return;
        foreach (var detector in options.Detectors)
        {
            if (models.ContainsKey(detector))
                continue;
            var key = GrainKeys.ForModel(detector, GrainKeys.LatestVersion, GrainKeys.SlotFor(this.GetPrimaryKeyString(), batchingOptions.Value.SlotsPerModel));
            try
            {
                models[detector] = await GrainFactory.GetGrain<IModelGrain>(key).GetInfoAsync();
            }
            catch (Exception e)
            {
                log.LogWarning("Device {Key}: model {Model} unavailable ({Message}); readings are stored unscored for {Retry}",
                    this.GetPrimaryKeyString(), key, e.Message, ModelRetry);
                models.Clear();
                modelsUnavailableUntil = DateTimeOffset.UtcNow + ModelRetry;
                return;
            }
        }
    }

    private IFleetPriorGrain FleetGrain() => GrainFactory.GetGrain<IFleetPriorGrain>(GrainKeys.ForFleet(options.Detector, State.Kind!));

    /// <summary>A device of a declared kind reads its fleet prior once per activation (then each report refreshes it);
    /// if the fleet grain cannot answer, the device goes on from the promise and asks again later.</summary>
    private async Task EnsureFleetPriorAsync()
    {
        if (State.Kind is null || fleet is not null || DateTimeOffset.UtcNow < fleetUnavailableUntil)
            return;
        try
        {
            fleet = await FleetGrain().GetAsync();
        }
        catch (Exception e)
        {
            log.LogWarning("Device {Key}: fleet prior of {Kind} unavailable ({Message}); the threshold starts from the score's promise",
                this.GetPrimaryKeyString(), State.Kind, e.Message);
            fleetUnavailableUntil = DateTimeOffset.UtcNow + ModelRetry;
        }
    }

    private async Task ReportToFleetAsync(FleetReport report)
    {
        try
        {
            fleet = await FleetGrain().ReportAsync(report);
        }
        catch (Exception e)
        {
            // Kept for the next report (stored with the next batch); the readings are stored either way.
            State.Threshold.Unreport(report);
            log.LogWarning("Device {Key}: could not report to the fleet prior of {Kind} ({Message})", this.GetPrimaryKeyString(), State.Kind, e.Message);
        }
    }

    /// <summary>Every scoring teaches the threshold, once the streams' scores mean something (before, they are 0).</summary>
    private void ObserveForThreshold(long timeMs, float score, bool readingFlagged)
    {
        if (State.Tracks.All(t => t.Count > Detectors.Scoring.StreamScoreOptions.Default.WarmUp))
            State.Threshold.Observe(timeMs, score, options.Budget, readingFlagged);
    }

    /// <summary>Null (not NaN, which JSON cannot carry) until the device has known its model's generic threshold.</summary>
    private float? CurrentThreshold() =>
        float.IsNaN(State.GenericThreshold) ? null : State.Threshold.Current(State.GenericThreshold, options.Budget, readingsOnlyRung: JudgesReadings(State.Threshold.LastMs), fleet);

    /// <summary>At <see cref="AdaptiveThreshold.ReadingsOnly"/> the score did not raise the alert, the reading did: say so.</summary>
    private string AlertMessage(float score, float threshold, string? version) => threshold >= AdaptiveThreshold.ReadingsOnly
        ? $"{device}: reading out of its range or stuck, score {score:0.000} (its errors alone no longer alert: they reach 1 more often than its budget allows; {options.Detector} {version})"
        : $"{device}: score {score:0.000} ≥ threshold {threshold:0.000} ({options.Detector} {version})";

    /// <summary>The generic threshold a device's score is held to: the mean of its detectors' (as the ensemble's score is theirs combined).</summary>
    private static float GenericThreshold(IEnumerable<ModelInfo> infos) => infos.Average(m => m.ThresholdScore);

    private static string Category(string reason) =>
        reason.StartsWith("has no values", StringComparison.Ordinal) ? "empty"
        : reason.Contains("channel", StringComparison.Ordinal) ? "channels"
        : reason.Contains("finite", StringComparison.Ordinal) ? "not-finite"
        : reason.Contains("different values", StringComparison.Ordinal) ? "conflict"
        : "out-of-order";

    /// <summary>One detector's part of a due scoring: <c>Count</c> results from <c>First</c> in that detector's call.</summary>
    private sealed record DetectorCall(string Detector, ModelInfo Info, int First, int Count);

    /// <summary>Whether the device has shown its readings long enough for the out-of-range and stuck tests to speak; until
    /// then its threshold cannot be <see cref="AdaptiveThreshold.ReadingsOnly"/>, which would leave it mute.</summary>
    private bool JudgesReadings(long timeMs) =>
        timeMs - State.FirstReadingMs >= options.ReadingSignalWarmupHours * 3_600_000;

    /// <summary>A window due for scoring: the newest reading's time, its value (NaN for a multi-channel device) and the detector calls.</summary>
    private sealed record DueScoring(long TimeMs, float Value, List<DetectorCall> Calls);

    private sealed record ScoringOutcome(List<ScorePoint> Points, List<AlertRecord> Transitions);
}
