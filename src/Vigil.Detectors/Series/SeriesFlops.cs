using Vigil.Detectors.Bundles;

namespace Vigil.Detectors.Series;

/// <summary>
/// Forward-pass floating-point operations per item (a multiply-add counts 2), from the hyperparameters, for
/// <c>vigil bench detectors</c>. Matrix products and convolutions are counted exactly; activations and the LSTM's
/// gate arithmetic (a few operations per hidden unit per step) are included approximately.
/// </summary>
public static class SeriesFlops
{
    public static double Forward(string kind, SeriesHyperparameters hp) => kind switch
    {
        DetectorKinds.LstmDcnn => LstmDcnn(hp),
        DetectorKinds.Autoencoder => Autoencoder(hp),
        _ => throw new ArgumentException($"no FLOP count for '{kind}'."),
    };

    private static double LstmDcnn(SeriesHyperparameters hp)
    {
        double w = hp.Window, c = hp.Channels, h = hp.LstmHidden, f = hp.ConvFilters;
        var lstm = w * (2 * 4 * h * (c + h) + 4 * h + 10 * h);               // gate products + biases + gate arithmetic
        double conv = 0, inChannels = c;
        foreach (var _ in hp.Dilations)
        {
            conv += 2 * w * f * inChannels * 3 + 2 * w * f;                   // kernel 3 MACs + bias and ReLU
            inChannels = f;
        }
        var head = 2 * (h + 2 * f) * hp.HeadWidth + 2.0 * hp.HeadWidth * hp.Horizon * c;
        return lstm + conv + head;
    }

    private static double Autoencoder(SeriesHyperparameters hp)
    {
        if (hp.Architecture == SeriesHyperparameters.LstmArchitecture)
        {
            double steps = hp.Window, channels = hp.Channels, hidden = hp.LstmHidden;
            var encoder = steps * (2 * 4 * hidden * (channels + hidden) + 4 * hidden + 10 * hidden);
            var decoder = steps * (2 * 4 * hidden * (hidden + hidden) + 4 * hidden + 10 * hidden);
            return encoder + decoder + steps * 2 * hidden * channels;
        }
        double c = hp.Channels, f = hp.ConvFilters, b = Math.Max(2, hp.ConvFilters / 2), k = 7;
        double l1 = Math.Ceiling(hp.Window / 2.0), l2 = Math.Ceiling(l1 / 2.0);
        var encode = 2 * l1 * f * c * k + 2 * l2 * b * f * k;
        var decode = 2 * l2 * b * f * k + 2 * (2 * l2) * f * c * k;          // transposed: every input position × kernel
        return encode + decode;
    }
}
