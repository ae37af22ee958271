using Vigil.Contracts;

namespace Vigil.Grains.Devices;

/// <summary>Cuts the model input (last InputLength readings, time-major) out of the ring, normalised as the bundle says.</summary>
internal static class WindowInputs
{
    /// <param name="channel">Null: all channels; else that one channel (for single-channel models).</param>
    public static float[] Build(ReadingRing ring, RunningStats stats, ModelInfo info, int? channel)
    {
        var steps = info.InputLength;
        var width = channel is null ? ring.Channels : 1;
        var inputs = new float[steps * width];
        var first = ring.Count - steps;
        for (var s = 0; s < steps; s++)
        {
            var values = ring.ValuesAt(first + s);
            for (var k = 0; k < width; k++)
                inputs[s * width + k] = values[channel ?? k];
        }

        switch (info.NormalisationMode)
        {
            case "stream":
                for (var s = 0; s < steps; s++)
                    for (var k = 0; k < width; k++)
                        inputs[s * width + k] = stats.Normalise(inputs[s * width + k], channel ?? k);
                break;
            case "window":
                for (var k = 0; k < width; k++)
                    StandardiseColumn(inputs, width, k);
                break;
            case "fixed":
                for (var s = 0; s < steps; s++)
                    for (var k = 0; k < width; k++)
                    {
                        var c = channel is null ? k : 0;
                        var std = info.FixedStd is { } sd && c < sd.Length && sd[c] > 0 ? sd[c] : 1f;
                        var mean = info.FixedMean is { } m && c < m.Length ? m[c] : 0f;
                        inputs[s * width + k] = (inputs[s * width + k] - mean) / std;
                    }
                break;
            default:
                throw new InvalidOperationException($"{info.Kind} {info.Version} asks for normalisation '{info.NormalisationMode}', which series windows do not support.");
        }
        return inputs;
    }

    private static void StandardiseColumn(float[] inputs, int width, int column)
    {
        var steps = inputs.Length / width;
        double sum = 0, sumSq = 0;
        for (var s = 0; s < steps; s++)
        {
            double v = inputs[s * width + column];
            sum += v;
            sumSq += v * v;
        }
        var mean = sum / steps;
        var std = Math.Max(Math.Sqrt(Math.Max(0, sumSq / steps - mean * mean)), RunningStats.MinStd);
        for (var s = 0; s < steps; s++)
            inputs[s * width + column] = (float)((inputs[s * width + column] - mean) / std);
    }
}
