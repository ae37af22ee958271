using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Detectors.Bundles;
using Vigil.Grains.Devices;
using Vigil.Grains.Options;
using Vigil.Telemetry;

namespace Vigil.Grains.Cameras;

/// <summary>
/// One camera: scores each frame with the frame-cnn model grain, each tile against that tile's own mean and spread
/// (<see cref="CameraBaseline"/>), and raises or clears its alert (with the tile heat map) on the home. The
/// threshold is aimed at <c>Vigil:Scoring:CameraFalseAlertsPerDay</c> the way a sensor's is
/// (<see cref="AdaptiveThreshold"/>), from the same prior. State is written before the result returns.
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
    private readonly float minTileSpread = (float)scoringOptions.Value.CameraMinTileSpread;
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
        var warm = State.BaselineFrames >= alerts.CameraWarmupFrames;
        var (score, top) = warm ? CameraBaseline.Highest(tiles, State, minTileSpread) : (0f, 0);
        var ladder = State.ThresholdLadder ??= new AdaptiveThreshold();
        // The frame score is on the devices' scale, so the devices' prior: a score s on 10^(−10 s) of calm frames.
        State.Threshold = ladder.Current(model.ThresholdScore, scoring.CameraBudget);
        var point = new ScorePoint(frame.T, result.RawError, score, State.Threshold);
        (State.Scores ??= ScoreLog.Create(scoring.ScoreHistory)).Add(point);
        if (warm)
            ladder.Observe(ms, score, scoring.CameraBudget); // after this frame's threshold is fixed

        var transition = Decide(point, result.Tiles, warm, top);
        if (State.OpenAlert is null && transition is null)
            CameraBaseline.Fold(State, result.Score, tiles);
        CameraBaseline.RaisePeaks(State, tiles);
        await store.WriteStateAsync();
        VigilDiagnostics.FramesReceived.Add(1);
        if (transition is not null)
            await NotifyHomeAsync(transition);
        return new FrameResult(true, null, point, result.Tiles, State.OpenAlert);
    }

    public Task<CameraSnapshot> GetSnapshotAsync() =>
        Task.FromResult(new CameraSnapshot(home, camera, State.ModelVersion, State.TotalFrames, State.Scores?.ToArray() ?? [],
            State.Baseline, State.Threshold, State.LastHeatMap, State.OpenAlert,
            State.TileBaselines, State.TileBaselines is null ? null
                : [.. Enumerable.Range(0, State.TileBaselines.Length).Select(t => CameraBaseline.Spread(State, t, minTileSpread))]));

    private AlertRecord? Decide(ScorePoint point, HeatMap tiles, bool warm, int top)
    {
        if (State.OpenAlert is null)
        {
            if (!warm || point.Score < point.Threshold)
                return null;
            var (row, col) = (top / tiles.TilesX, top % tiles.TilesX);
            State.OpenAlert = new AlertRecord(AlertRecord.MakeId(home, camera, point.T), home, camera, AlertKind.Camera,
                DetectorKinds.FrameCnn, State.ModelVersion, point.T, null, point.Score, point.Threshold,
                $"{camera}: tile ({row}, {col}) at {tiles.Tiles[top]:0.000} against its usual {State.TileBaselines![top]:0.000} ± {CameraBaseline.Spread(State, top, minTileSpread):0.000}: score {point.Score:0.000} ≥ threshold {point.Threshold:0.000}", tiles, []);
            State.CalmStreak = 0;
            return State.OpenAlert;
        }
        State.CalmStreak = point.Score < point.Threshold * scoring.ClearRatio ? State.CalmStreak + 1 : 0;
        if (State.CalmStreak < scoring.ClearAfter)
            return null;
        var cleared = State.OpenAlert with { ClearedAt = point.T };
        State.OpenAlert = null;
        State.CalmStreak = 0;
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
