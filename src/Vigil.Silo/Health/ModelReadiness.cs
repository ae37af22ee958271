using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Detectors.Bundles;
using Vigil.Grains.Options;

namespace Vigil.Silo.Health;

/// <summary>One model slot's state as <c>/readyz</c> reports it.</summary>
public sealed record ModelSlotState(string Key, bool Loaded, string? Version, string? Problem);

/// <summary>Whether every model slot the configuration routes to has loaded its bundle.</summary>
public sealed record Readiness(bool Ready, IReadOnlyList<ModelSlotState> Models);

/// <summary>
/// Asks each configured model slot for its bundle. The first ask also triggers the load, so the host calls this at
/// start to warm the models before traffic arrives. Once every slot answered, the answer is cached: a loaded model
/// grain that moves reloads on its own, and readiness must not flap while it does.
/// </summary>
public sealed class ModelReadiness(IGrainFactory grains, IOptions<ScoringOptions> scoring, IOptions<BatchingOptions> batching)
{
    /// <summary>Loading reads and verifies weights; a slot that takes longer is reported as still loading.</summary>
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private Readiness? _ready;

    public IReadOnlyList<string> ModelKeys =>
        scoring.Value.Detectors.Append(DetectorKinds.FrameCnn)
            .SelectMany(kind => Enumerable.Range(0, batching.Value.SlotsPerModel)
                .Select(slot => GrainKeys.ForModel(kind, GrainKeys.LatestVersion, slot)))
            .ToList();

    public async Task<Readiness> CheckAsync(CancellationToken cancellationToken)
    {
        if (_ready is { } ready)
        {
            return ready;
        }

        var states = await Task.WhenAll(ModelKeys.Select(key => AskAsync(key, cancellationToken)));
        var result = new Readiness(states.All(s => s.Loaded), states);
        if (result.Ready)
        {
            _ready = result;
        }

        return result;
    }

    private async Task<ModelSlotState> AskAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var info = await grains.GetGrain<IModelGrain>(key).GetInfoAsync().WaitAsync(AskTimeout, cancellationToken);
            return new ModelSlotState(key, true, info.Version, null);
        }
        catch (TimeoutException)
        {
            return new ModelSlotState(key, false, null, "still loading");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ModelSlotState(key, false, null, e.Message);
        }
    }
}
