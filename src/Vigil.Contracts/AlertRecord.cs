namespace Vigil.Contracts;

/// <summary>An alert as the home keeps it, the API lists it and the SSE stream sends it.</summary>
/// <param name="Id">Unique and stable: <c>home/source/raisedAtUnixMs</c>.</param>
/// <param name="Source">Device or camera id; for <see cref="AlertKind.Home"/> alerts the home id.</param>
/// <param name="ClearedAt">Null while the alert is open.</param>
/// <param name="Related">For fused alerts, the ids of the alerts fused.</param>
[GenerateSerializer, Immutable, Alias("vigil.alert-record")]
public sealed record AlertRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Home,
    [property: Id(2)] string Source,
    [property: Id(3)] AlertKind Kind,
    [property: Id(4)] string Detector,
    [property: Id(5)] string? ModelVersion,
    [property: Id(6)] DateTimeOffset RaisedAt,
    [property: Id(7)] DateTimeOffset? ClearedAt,
    [property: Id(8)] float Score,
    [property: Id(9)] float Threshold,
    [property: Id(10)] string Message,
    [property: Id(11)] HeatMap? HeatMap,
    [property: Id(12)] string[] Related)
{
    public bool IsOpen => ClearedAt is null;

    public static string MakeId(string home, string source, DateTimeOffset raisedAt) =>
        $"{home}{GrainKeys.Separator}{source}{GrainKeys.Separator}{raisedAt.ToUnixTimeMilliseconds()}";
}
