using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Grains.Devices;
using Vigil.Grains.Options;
using Vigil.Telemetry;

namespace Vigil.Grains.Cameras;

/// <summary>
/// One camera: scores each frame with the frame-cnn model grain, each tile relative to that tile's own baseline
/// (<see cref="CameraBaseline"/>), and raises or clears its alert (with the tile heat map) on the home; an alert held
/// open for <c>Vigil:Alerts:CameraSceneChangeFrames</c> frames is taken as a change of scene and cleared. The threshold is aimed at <c>Vigil:Scoring:CameraFalseAlertsPerDay</c>
/// the way a sensor's is (<see cref="AdaptiveThreshold"/>): the calibrated 0.5 means 1 % of frames, an alert every 17 minutes
/// at a frame every 10 s. State is written before the result returns.
/// </summary>
internal sealed class CameraGrain(
    [PersistentState("camera", GrainStorage.Name)] IPersistentState<CameraState> store,
    IOptions<ScoringOptions> scoringOptions,
    IOptions<AlertOptions> alertOptions,
    IOptions<BatchingOptions> batchingOptions,
    ILogger<CameraGrain> log) : Grain, ICameraGrain
{
    private readonly ScoringOptions scoring = scoringOptions.Value;
    private readonly AlertOptions alerts = alertOptions.Value;
    private ModelInfo? model;
    private string home = "";
    private string camera = "";

    private CameraState State => store.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (home, camera) = GrainKeys.ParseMember(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<FrameResult> SubmitFrameAsync(FrameData frame)
    {
        if (frame.Width <= 0 || frame.Height <= 0 || frame.Grey is null || frame.Grey.LongLength != (long)frame.Width * frame.Height)
            return Rejected($"a {frame.Width}x{frame.Height} grey frame needs {(long)Math.Max(0, frame.Width) * Math.Max(0, frame.Height)} bytes, not {frame.Grey?.Length ?? 0}");
        var ms = frame.T.ToUnixTimeMilliseconds();
        if (ms <= State.LastFrameMs)
            return Rejected($"is not newer than the last frame ({DateTimeOffset.FromUnixTimeMilliseconds(State.LastFrameMs):O})");

        var modelGrain = GrainFactory.GetGrain<IModelGrain>(GrainKeys.ForModel(DetectorKinds.FrameCnn, GrainKeys.LatestVersion,
            GrainKeys.SlotFor(this.GetPrimaryKeyString(), batchingOptions.Value.SlotsPerModel)));
        model ??= await modelGrain.GetInfoAsync();
        var result = await modelGrain.ScoreFrameAsync(frame);
        if (result.Version != model.Version)
            model = await modelGrain.GetInfoAsync();

        State.TotalFrames++;
        State.LastFrameMs = ms;
        State.ModelVersion = result.Version;
        State.LastHeatMap = result.Tiles;
        var tiles = result.Tiles.Tiles;
        CameraBaseline.EnsureGrid(State, tiles.Length);
        var baselines = State.TileBaselines!;
        var warm = State.BaselineFrames >= alerts.CameraWarmupFrames;
        var (relative, top) = warm ? CameraBaseline.Highest(tiles, baselines) : (0f, 0);
        var ladder = State.ThresholdLadder ??= new AdaptiveThreshold();
        State.Threshold = ladder.Current(model.ThresholdScore, scoring.CameraBudget, Promise(baselines));
        var point = new ScorePoint(frame.T, result.RawError, relative, State.Threshold);
        (State.Scores ??= ScoreLog.Create(scoring.ScoreHistory)).Add(point);
        if (warm)
            ladder.Observe(ms, relative, scoring.CameraBudget); // after this frame's threshold is fixed

        var transition = Decide(point, result.Tiles, warm, top);
        if (State.OpenAlert is null && transition is null)
            CameraBaseline.Fold(State, result.Score, tiles);
        await store.WriteStateAsync();
        VigilDiagnostics.FramesReceived.Add(1);
        if (transition is not null)
            await NotifyHomeAsync(transition);
        return new FrameResult(true, null, point, result.Tiles, State.OpenAlert);
    }

    /// <summary>
    /// What the calibrated tile scores promise for the relative frame score: relative ≥ r exactly when some tile t
    /// scores ≥ b_t + r·(1 − b_t), so the share of calm frames is one minus the chance that no tile does.
    /// </summary>
    private static Func<float, double> Promise(float[] baselines) =>
        level =>
        {
            var none = 1.0;
            foreach (var b in baselines) none *= 1 - ScoreCalibration.PromisedTileShare(b + level * (1 - b), baselines.Length);
            return 1 - none;
        };

    public Task<CameraSnapshot> GetSnapshotAsync() =>
        Task.FromResult(new CameraSnapshot(home, camera, State.ModelVersion, State.TotalFrames, State.Scores?.ToArray() ?? [],
            State.Baseline, State.Threshold, State.LastHeatMap, State.OpenAlert));

    private AlertRecord? Decide(ScorePoint point, HeatMap tiles, bool warm, int top)
    {
        if (State.OpenAlert is null)
        {
            if (!warm || point.Score < point.Threshold)
                return null;
            var (row, col) = (top / tiles.TilesX, top % tiles.TilesX);
            State.OpenAlert = new AlertRecord(AlertRecord.MakeId(home, camera, point.T), home, camera, AlertKind.Camera,
                DetectorKinds.FrameCnn, State.ModelVersion, point.T, null, point.Score, point.Threshold,
                $"{camera}: tile ({row}, {col}) scores {point.Score:0.000} ≥ threshold {point.Threshold:0.000} above its usual {State.TileBaselines![top]:0.000}", tiles, []);
            State.CalmStreak = 0;
            State.OpenFrames = 0;
            return State.OpenAlert;
        }
        State.OpenFrames++;
        State.CalmStreak = point.Score < point.Threshold * scoring.ClearRatio ? State.CalmStreak + 1 : 0;
        if (State.CalmStreak < scoring.ClearAfter)
        {
            if (State.OpenFrames < alerts.CameraSceneChangeFrames)
                return null;
            // Open this long: the scene changed rather than something passing through. The tiles that keep it open
            // become the new normal, and the camera goes on watching.
            var taken = CameraBaseline.Rebase(State, tiles.Tiles, point.Threshold * (float)scoring.ClearRatio);
            log.LogInformation("Camera {Key}: alert open {Frames} frames, taken as a change of scene ({Tiles} tile(s) rebased)",
                this.GetPrimaryKeyString(), State.OpenFrames, taken);
        }
        var cleared = State.OpenAlert with { ClearedAt = point.T };
        State.OpenAlert = null;
        State.CalmStreak = 0;
        State.OpenFrames = 0;
        return cleared;
    }

    private async Task NotifyHomeAsync(AlertRecord alert)
    {
        var homeGrain = GrainFactory.GetGrain<IHomeGrain>(GrainKeys.ForHome(home));
        try
        {
            if (alert.IsOpen)
            {
                VigilDiagnostics.AlertsRaised.Add(1, new KeyValuePair<string, object?>(VigilDiagnostics.Tags.Kind, nameof(AlertKind.Camera)));
                await homeGrain.RaiseAsync(alert);
            }
            else
            {
                await homeGrain.ClearAsync(camera, alert.ClearedAt!.Value);
            }
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Camera {Key}: could not tell home {Home} about alert {Alert}", this.GetPrimaryKeyString(), home, alert.Id);
        }
    }

    private FrameResult Rejected(string reason) => new(false, $"frame {reason}", null, null, State.OpenAlert);
}
