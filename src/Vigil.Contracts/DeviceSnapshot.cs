namespace Vigil.Contracts;

/// <summary>What <c>GET /v1/homes/{home}/devices/{device}</c> shows.</summary>
/// <param name="Window">Readings per channel the ring buffer holds.</param>
/// <param name="Filled">Readings per channel currently in it (≤ <paramref name="Window"/>).</param>
/// <param name="Channels">Values per reading; fixed by the first reading (0 before any).</param>
/// <param name="LastReadings">The window, oldest first.</param>
/// <param name="LastScores">Most recent scorings, oldest first.</param>
/// <param name="Threshold">Score threshold in force (per device, adapted from the bundle's generic one); null while the
/// device has never reached its model (a model not published when its readings came).</param>
/// <param name="Silo">Address of the silo the device's grain is active on (<c>ip:port@generation</c>), so an operator
/// can see where a device lives and a failover can be followed.</param>
/// <param name="Kind">What the device measures, as declared (<c>PUT /v1/homes/{home}/devices/{device}</c>); null if never declared.</param>
[GenerateSerializer, Immutable, Alias("vigil.device-snapshot")]
public sealed record DeviceSnapshot(
    [property: Id(0)] string Home,
    [property: Id(1)] string Device,
    [property: Id(2)] string Detector,
    [property: Id(3)] string? ModelVersion,
    [property: Id(4)] int Window,
    [property: Id(5)] int Filled,
    [property: Id(6)] int Channels,
    [property: Id(7)] long TotalAccepted,
    [property: Id(8)] long TotalDuplicates,
    [property: Id(9)] long TotalLate,
    [property: Id(10)] Reading[] LastReadings,
    [property: Id(11)] ScorePoint[] LastScores,
    [property: Id(12)] float? Threshold,
    [property: Id(13)] AlertRecord? OpenAlert,
    [property: Id(14)] string? Silo = null,
    [property: Id(15)] string? Kind = null);
