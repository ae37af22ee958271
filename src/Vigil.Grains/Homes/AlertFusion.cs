using Vigil.Contracts;

namespace Vigil.Grains.Homes;

/// <summary>
/// A sensor alert and a camera alert of one home raised close in time are two independent witnesses of one event:
/// fused into one home alert whose score is the noisy-OR of both (1 − (1 − a)(1 − b)), stronger than either.
/// </summary>
internal static class AlertFusion
{
    public static AlertRecord? Fuse(AlertRecord raised, IReadOnlyList<AlertRecord> known, TimeSpan window)
    {
        var wanted = raised.Kind switch
        {
            AlertKind.Sensor => AlertKind.Camera,
            AlertKind.Camera => AlertKind.Sensor,
            _ => (AlertKind?)null,
        };
        if (wanted is null)
            return null;

        AlertRecord? partner = null;
        for (var i = known.Count - 1; i >= 0; i--)
        {
            var a = known[i];
            if (a.Kind == wanted && (a.RaisedAt - raised.RaisedAt).Duration() <= window && !AlreadyFused(a, known)
                && (partner is null || a.Score > partner.Score))
                partner = a;
        }
        if (partner is null)
            return null;

        var (sensor, camera) = raised.Kind == AlertKind.Sensor ? (raised, partner) : (partner, raised);
        var at = raised.RaisedAt > partner.RaisedAt ? raised.RaisedAt : partner.RaisedAt;
        var score = 1 - (1 - sensor.Score) * (1 - camera.Score);
        return new AlertRecord(AlertRecord.MakeId(raised.Home, raised.Home, at), raised.Home, raised.Home, AlertKind.Home,
            $"{sensor.Detector}+{camera.Detector}", null, at, null, score, Math.Max(sensor.Threshold, camera.Threshold),
            $"{raised.Home}: {sensor.Source} and {camera.Source} agree within {(raised.RaisedAt - partner.RaisedAt).Duration():g} (score {score:0.000})",
            camera.HeatMap, [sensor.Id, camera.Id]);
    }

    private static bool AlreadyFused(AlertRecord alert, IReadOnlyList<AlertRecord> known) =>
        known.Any(k => k.Kind == AlertKind.Home && k.Related.Contains(alert.Id));
}
