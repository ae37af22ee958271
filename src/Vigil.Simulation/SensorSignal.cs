namespace Vigil.Simulation;

/// <summary>
/// One sensor's value as a function of time: a daily cycle, sensor-specific structure (appliance steps for power,
/// Poisson counts for motion and doors), noise, and any anomalies injected into it. Deterministic for a seed, so a
/// run can be repeated and its ground truth recomputed.
/// </summary>
public sealed class SensorSignal
{
    private readonly SensorKind _kind;
    private readonly Random _noise;
    private readonly double _phase;
    private readonly double _base;
    private readonly double _amplitude;
    private readonly double _daySeconds;
    private readonly List<InjectedAnomaly> _anomalies = [];
    private double _frozenValue = double.NaN;
    private double _applianceUntil;
    private double _applianceLoad;

    public SensorSignal(SensorKind kind, int seed, double daySeconds)
    {
        _kind = kind;
        _noise = new Random(seed);
        _phase = _noise.NextDouble() * 2 * Math.PI;
        _daySeconds = daySeconds;
        (_base, _amplitude) = kind switch
        {
            SensorKind.Temperature => (19 + 4 * _noise.NextDouble(), 1.5 + _noise.NextDouble()),
            SensorKind.Humidity => (40 + 15 * _noise.NextDouble(), 5 + 3 * _noise.NextDouble()),
            SensorKind.Power => (150 + 100 * _noise.NextDouble(), 80),
            SensorKind.Motion => (2, 2),
            SensorKind.Door => (0.3, 0.3),
            SensorKind.Co2 => (500 + 100 * _noise.NextDouble(), 150),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    public SensorKind Kind => _kind;

    public IReadOnlyList<InjectedAnomaly> Anomalies => _anomalies;

    public void Inject(InjectedAnomaly anomaly) => _anomalies.Add(anomaly);

    /// <summary>The reading at <paramref name="seconds"/> since the start; call with increasing times.</summary>
    public double ValueAt(double seconds)
    {
        double daily = Math.Sin(2 * Math.PI * seconds / _daySeconds + _phase);
        double value = _kind switch
        {
            SensorKind.Temperature or SensorKind.Humidity or SensorKind.Co2 =>
                _base + _amplitude * daily + Gaussian() * _amplitude * 0.05,
            SensorKind.Power => _base + Appliance(seconds) + Gaussian() * 5,
            SensorKind.Motion or SensorKind.Door => Poisson(Math.Max(0.05, _base + _amplitude * daily)),
            _ => 0,
        };

        foreach (var anomaly in _anomalies)
        {
            if (!anomaly.Covers(seconds)) continue;
            double scale = Math.Max(_amplitude, 1);
            value = anomaly.Kind switch
            {
                AnomalyKind.Spike => value + 8 * scale,
                AnomalyKind.LevelShift => value + 5 * scale,
                AnomalyKind.FlatLine => double.IsNaN(_frozenValue) ? _frozenValue = value : _frozenValue,
                AnomalyKind.Oscillation => value + 4 * scale * Math.Sign(Math.Sin(seconds * 3)),
                _ => value,
            };
            return Math.Round(value, 3);
        }
        _frozenValue = double.NaN;
        return Math.Round(value, 3);
    }

    private double Appliance(double seconds)
    {
        // Appliances switch on now and then for a few minutes: steps, not noise.
        if (seconds >= _applianceUntil && _noise.NextDouble() < 0.01)
        {
            _applianceLoad = 500 + 1500 * _noise.NextDouble();
            _applianceUntil = seconds + 60 + 240 * _noise.NextDouble();
        }
        return seconds < _applianceUntil ? _applianceLoad : 0;
    }

    private double Gaussian()
    {
        double u1 = 1.0 - _noise.NextDouble(), u2 = _noise.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private int Poisson(double lambda)
    {
        double l = Math.Exp(-lambda), p = 1;
        int k = 0;
        do { k++; p *= _noise.NextDouble(); } while (p > l);
        return k - 1;
    }
}
