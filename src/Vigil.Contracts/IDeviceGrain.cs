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

    [Alias("GetSnapshot")]
    Task<DeviceSnapshot> GetSnapshotAsync();
}
