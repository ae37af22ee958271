using System.Security.Cryptography;
using static TorchSharp.torch;

namespace Vigil.Detectors.Series;

/// <summary>
/// Training items cut from many series: each series standardised by its own mean and standard deviation (what a
/// stream's <see cref="RunningStandardiser"/> converges to), every position a window fits, the last
/// <c>validationFraction</c> of each series held out in time order for early stopping.
/// </summary>
public sealed class SeriesWindowSet
{
    private readonly List<float[]> standardised = [];
    private readonly List<(int Series, int Start)> train = [];
    private readonly List<(int Series, int Start)> validation = [];

    public SeriesWindowSet(IReadOnlyList<SeriesData> series, int inputLength, double validationFraction = 0.1)
    {
        if (series.Count == 0) throw new InvalidDataException("no series to train on.");
        InputLength = inputLength;
        Channels = series[0].Channels;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var s = 0; s < series.Count; s++)
        {
            var data = series[s];
            if (data.Channels != Channels)
                throw new InvalidDataException($"{data.Path}: {data.Channels} value columns, expected {Channels}.");
            if (data.Rows < inputLength + 1)
                throw new InvalidDataException(
                    $"{data.Path}, line {data.Rows + 1}: the series ends after {data.Rows} rows, but one item needs {inputLength} readings (window larger than the series).");
            standardised.Add(Standardise(data));
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(data.Path)));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.Values.AsSpan()));

            var positions = data.Rows - inputLength + 1;
            var held = (int)Math.Floor(positions * validationFraction);
            for (var start = 0; start < positions; start++)
                (start < positions - held ? train : validation).Add((s, start));
        }
        Fingerprint = Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public int InputLength { get; }
    public int Channels { get; }
    public int TrainCount => train.Count;
    public int ValidationCount => validation.Count;

    /// <summary>SHA-256 over file names and values: identifies what a model was trained on.</summary>
    public string Fingerprint { get; }

    public IReadOnlyList<(int Series, int Start)> Train => train;
    public IReadOnlyList<(int Series, int Start)> Validation => validation;

    /// <summary>Copies the items into <paramref name="buffer"/> and returns one tensor <c>[count, InputLength, Channels]</c>.</summary>
    public Tensor Batch(IReadOnlyList<(int Series, int Start)> items, int offset, int count, float[] buffer, Device device)
    {
        var itemSize = InputLength * Channels;
        for (var i = 0; i < count; i++)
        {
            var (s, start) = items[offset + i];
            Array.Copy(standardised[s], start * Channels, buffer, i * itemSize, itemSize);
        }
        var host = empty([count, InputLength, Channels], ScalarType.Float32);
        using (var access = host.data<float>()) access.CopyFrom(buffer.AsSpan(0, count * itemSize), 0, 0);
        return device.type == TorchSharp.DeviceType.CPU ? host : host.to(device);
    }

    private static float[] Standardise(SeriesData data)
    {
        var result = new float[data.Values.Length];
        for (var c = 0; c < data.Channels; c++)
        {
            var stats = new RunningStandardiser();
            for (var r = 0; r < data.Rows; r++) stats.Add(data[r, c], historyLength: int.MaxValue);
            for (var r = 0; r < data.Rows; r++) result[r * data.Channels + c] = stats.Standardise(data[r, c]);
        }
        return result;
    }
}
