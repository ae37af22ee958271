using Vigil.Contracts;

namespace Vigil.Grains.Devices;

internal sealed partial class DeviceGrain
{
    /// <summary>
    /// The verdict <see cref="AppendAsync"/> would reach now, from the same pure classifier, with nothing stored.
    /// Counts (accepted, duplicates, late) and rejections are what Append would return; scores and alerts are not
    /// predicted (they need the model). Not counted in the rejection metrics: Append counts the readings it refuses.
    /// </summary>
    public Task<IngestResult> CheckAsync(ReadingBatch batch)
    {
        var verdict = ReadingClassifier.Classify(State.Ring, batch.Readings ?? [], TimeSpan.FromSeconds(options.ReorderToleranceSeconds));
        var applicable = verdict.Rejections.Count == 0;
        return Task.FromResult(new IngestResult(applicable, applicable ? verdict.Accepted.Count : 0, verdict.Duplicates, verdict.Late,
            [.. verdict.Rejections], [], State.OpenAlert));
    }
}
