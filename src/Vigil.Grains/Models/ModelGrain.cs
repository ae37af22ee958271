using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using TorchSharp;
using Vigil.Contracts;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;
using Vigil.Grains.Options;
using Vigil.Grains.Placement;

namespace Vigil.Grains.Models;

/// <summary>
/// Hosts one detector bundle behind a dynamic batcher. Reentrant on purpose: while one request awaits its batch, the
/// next must be able to join the queue, or every batch would hold one item. Only accelerator silos host it.
/// </summary>
[Reentrant, AcceleratorPlacementFilter]
internal sealed class ModelGrain(
    IModelCatalog catalog,
    IDetectorFactory factory,
    IOptions<BatchingOptions> batching,
    IOptions<ModelsOptions> models,
    IOptions<ModelDeviceOptions> device,
    ILogger<ModelGrain> log) : Grain, IModelGrain
{
    private string kind = "";
    private string version = "";
    private IModelHost? host;
    private Task<IModelHost>? loading;
    private bool swapping;

    private string Key => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (kind, version, _) = GrainKeys.ParseModel(Key);
        if (version == GrainKeys.LatestVersion)
        {
            var period = TimeSpan.FromSeconds(models.Value.RefreshSeconds);
            this.RegisterGrainTimer(_ => RefreshAsync(), new GrainTimerCreationOptions(period, period) { Interleave = true });
        }
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (host is { } h)
        {
            host = null;
            loading = null;
            await h.DisposeAsync();
        }
    }

    public async Task<ModelInfo> GetInfoAsync() => (await HostAsync()).Info;

    public async Task<SeriesScoreResult> ScoreSeriesAsync(SeriesScoreRequest request)
    {
        if (await HostAsync() is not SeriesModelHost h)
            throw new ArgumentException($"Model grain '{Key}' hosts {kind}, which scores frames, not series windows.");
        if (request.Inputs is null || request.Inputs.Length != h.ItemLength)
            throw new ArgumentException(
                $"{kind} {h.Info.Version} needs {h.Info.InputLength} steps × {h.Info.Channels} channels = {h.ItemLength} values; the request has {request.Inputs?.Length ?? 0}.");
        var result = await h.Batcher.EnqueueAsync(request.Inputs);
        return new SeriesScoreResult(result.Value, h.Info.Version, result.BatchSize, result.QueueWait);
    }

    public async Task<SeriesScoreResult[]> ScoreSeriesManyAsync(SeriesScoreRequest[] requests)
    {
        if (await HostAsync() is not SeriesModelHost h)
            throw new ArgumentException($"Model grain '{Key}' hosts {kind}, which scores frames, not series windows.");
        if (requests is null || requests.Length == 0)
            return [];
        // Every window is checked before any is queued: a malformed request costs no batch slot.
        for (var i = 0; i < requests.Length; i++)
        {
            if (requests[i]?.Inputs is not { } inputs || inputs.Length != h.ItemLength)
                throw new ArgumentException(
                    $"{kind} {h.Info.Version} needs {h.Info.InputLength} steps × {h.Info.Channels} channels = {h.ItemLength} values; request {i} has {requests[i]?.Inputs?.Length ?? 0}.");
        }
        var pending = new Task<BatchedResult<float>>[requests.Length];
        for (var i = 0; i < requests.Length; i++)
            pending[i] = h.Batcher.EnqueueAsync(requests[i].Inputs);
        var results = new SeriesScoreResult[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            var result = await pending[i];
            results[i] = new SeriesScoreResult(result.Value, h.Info.Version, result.BatchSize, result.QueueWait);
        }
        return results;
    }

    public async Task<FrameScoreResult> ScoreFrameAsync(FrameData frame)
    {
        if (await HostAsync() is not FrameModelHost h)
            throw new ArgumentException($"Model grain '{Key}' hosts {kind}, which scores series windows; frames go to {DetectorKinds.FrameCnn}.");
        // Checked before queueing: a malformed frame is the caller's error and must not cost a batch slot.
        h.Limits.CheckSize(frame.Width, frame.Height, "frame");
        var grey = new GreyFrame(frame.Width, frame.Height, frame.Grey ?? []);
        var result = await h.Batcher.EnqueueAsync(grey);
        if (result.Value.Score is not { } score)
            throw new FrameFormatException(result.Value.Error ?? "frame could not be scored");
        return new FrameScoreResult((float)score.RawValue, new HeatMap(score.Cols, score.Rows, score.HeatMap), h.Info.Version,
            result.BatchSize, result.QueueWait, (float)score.Score);
    }

    public async Task<ModelInfo> RefreshAsync()
    {
        var current = await HostAsync();
        if (version != GrainKeys.LatestVersion || swapping)
            return current.Info;
        var newest = catalog.FindLatest(kind);
        if (newest is null || string.CompareOrdinal(newest.Version, current.Info.Version) <= 0)
            return current.Info;

        swapping = true;
        try
        {
            log.LogInformation("Model {Key}: swapping {Old} for {New} from {Dir}", Key, current.Info.Version, newest.Version, newest.Directory);
            var next = await LoadAsync(newest);
            host = next;
            loading = Task.FromResult(next);
            // Requests already queued on the old batcher finish there; only then is its detector disposed.
            await current.DisposeAsync();
            return next.Info;
        }
        finally
        {
            swapping = false;
        }
    }

    private Task<IModelHost> HostAsync()
    {
        if (host is { } h)
            return Task.FromResult(h);
        if (loading is null || loading.IsFaulted || loading.IsCanceled)
            loading = LoadInitialAsync();
        return loading;
    }

    private async Task<IModelHost> LoadInitialAsync()
    {
        var bundle = (version == GrainKeys.LatestVersion ? catalog.FindLatest(kind) : catalog.Find(kind, version))
                     ?? throw new BundleException(
                         $"No '{kind}' bundle{(version == GrainKeys.LatestVersion ? "" : $" with version '{version}'")} is published (model grain '{Key}').");
        var loaded = await LoadAsync(bundle);
        host = loaded;
        log.LogInformation("Model {Key}: loaded {Kind} {Version} from {Dir}", Key, kind, bundle.Version, bundle.Directory);
        return loaded;
    }

    /// <summary>Loading reads and verifies weights and builds the network: seconds of blocking work, kept off the scheduler.</summary>
    private Task<IModelHost> LoadAsync(BundleLocation bundle)
    {
        var key = Key;
        var options = batching.Value;
        var deviceSpec = device.Value.Device;
        return Task.Run<IModelHost>(() =>
        {
            // What the batch spans and inference metrics report as the compute device: cpu or cuda, "auto" resolved.
            var compute = TorchRuntime.ResolveDevice(deviceSpec).type == DeviceType.CUDA ? "cuda" : "cpu";
            return kind == DetectorKinds.FrameCnn
                ? new FrameModelHost(factory.LoadFrames(bundle), bundle, options, key, compute)
                : new SeriesModelHost(factory.LoadSeries(bundle), bundle, options, key, compute);
        });
    }
}
