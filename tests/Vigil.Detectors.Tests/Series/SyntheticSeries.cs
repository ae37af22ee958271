using System.Globalization;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

/// <summary>Seeded test signals: a daily-looking sine with noise, and the same with injected anomalies.</summary>
public static class SyntheticSeries
{
    public const int Period = 40;

    public static float[] Normal(int rows, int seed, double level = 20, double amplitude = 5, double noise = 0.15)
    {
        var random = new Random(seed);
        var values = new float[rows];
        for (var t = 0; t < rows; t++)
            values[t] = (float)(level + amplitude * Math.Sin(2 * Math.PI * t / Period) + noise * Gaussian(random));
        return values;
    }

    /// <summary>Anomalies injected into a normal signal: a spike, a level shift, and a flat-line (a stuck sensor).</summary>
    public sealed record Injected(float[] Values, int Spike, int Shift, int FlatStart, int FlatEnd);

    public static Injected WithAnomalies(int rows, int seed)
    {
        var values = Normal(rows, seed);
        int spike = rows / 4, shift = rows / 2, flatStart = 3 * rows / 4, flatEnd = flatStart + Period;
        values[spike] += 6;
        for (var t = shift; t < ShiftEnd(rows); t++) values[t] += 8;
        // Stuck at the value it had when it froze, mid-swing, so the signal departs from its rhythm at once.
        for (var t = flatStart; t < flatEnd; t++) values[t] = values[flatStart - 1];
        return new Injected(values, spike, shift, flatStart, flatEnd);
    }

    /// <summary>The level shift lasts three periods, then the signal returns to its old level (a second shift).</summary>
    public static int ShiftEnd(int rows) => rows / 2 + 3 * Period;

    public static SeriesData ToSeries(float[] values, string name = "synthetic.csv") =>
        new(name, Enumerable.Range(0, values.Length).Select(i => new DateTime(2026, 1, 1).AddMinutes(5 * i)).ToArray(), values, 1, ["value"]);

    public static string WriteCsv(string path, float[] values)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("timestamp,value");
        for (var i = 0; i < values.Length; i++)
            writer.WriteLine($"{new DateTime(2026, 1, 1).AddMinutes(5 * i):yyyy-MM-dd HH:mm:ss},{values[i].ToString(CultureInfo.InvariantCulture)}");
        return path;
    }

    /// <summary>Small enough to train in a couple of seconds on one core.</summary>
    public static SeriesHyperparameters Tiny(string kind) => new()
    {
        Window = 24,
        Horizon = kind == Vigil.Detectors.Bundles.DetectorKinds.Autoencoder ? 0 : 1,
        LstmHidden = 16,
        ConvFilters = 16,
        Dilations = [1, 2, 4],
        HeadWidth = 16,
    };

    public static SeriesTrainingOptions QuickTraining(int epochs = 4) => new()
    {
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 3e-3,
        MaxItemsPerEpoch = 1_500,
        MaxValidationItems = 300,
    };

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>A temporary folder deleted with the test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("vigil-series-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } // best effort in tests
    }
}
