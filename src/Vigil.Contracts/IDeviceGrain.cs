using Orleans.Concurrency;

namespace Vigil.Contracts;

/// <summary>One sensor stream; key <c>home/device</c> (<see cref="GrainKeys.ForDevice"/>).</summary>
[Alias("vigil.IDeviceGrain")]
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates and stores a batch (all or nothing, see <see cref="IngestResult"/>), scores every stride, raises or
    /// clears the device's alert. Throws <see cref="OverloadedException"/> when the model queue is full; the batch is
    /// then not applied and may be retried as is.
    /// </summary>
    [Alias("Append")]
    Task<IngestResult> AppendAsync(ReadingBatch batch);

    /// <summary>
    /// Dry run of <see cref="AppendAsync"/>: classifies the batch against the device's stored readings exactly as
    /// Append would now and returns the same counts and rejections, but stores nothing, scores nothing and raises
    /// nothing. <see cref="IngestResult.Applied"/> says whether Append would apply the batch against the state as it
    /// is at this moment; a concurrent Append may change that before the caller appends (Append re-validates, so
    /// the device is never left half-applied, but the batch may then be refused).
    /// Lets a bulk request validate every device's slice before appending any of them.
    /// </summary>
    [Alias("Check"), ReadOnly]
    Task<IngestResult> CheckAsync(ReadingBatch batch);

    [Alias("GetSnapshot")]
    Task<DeviceSnapshot> GetSnapshotAsync();

    /// <summary>
    /// Declares what the device measures (<c>power</c>, <c>temperature</c>, any id): its threshold then starts from,
    /// and reports to, the fleet prior of that kind (<see cref="IFleetPriorGrain"/>). Stored before it returns;
    /// declaring another kind later moves the device to that kind's prior.
    /// </summary>
    [Alias("SetKind")]
    Task SetKindAsync(string kind);
}
