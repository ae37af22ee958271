using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.Detectors.Series;

/// <summary>
/// Convolutional autoencoder over a window (the method of the seed and of the Keras NAB example): two strided
/// Conv1d layers compress the window 4× in time, two transposed convolutions rebuild it.
/// Input and output <c>[batch, window, channels]</c>. Windows are centred on their own mean so shape, not level, is
/// what must be reconstructed.
/// </summary>
public sealed class ConvAutoencoderNetwork : Module<Tensor, Tensor>
{
    private readonly Conv1d encode1;
    private readonly Conv1d encode2;
    private readonly ConvTranspose1d decode1;
    private readonly ConvTranspose1d decode2;
    // Not a Tensor field: RegisterComponents would save it with the weights and change every bundle's hash.
    private readonly TransposedConvolutionGemm decode2AsGemm;

    public ConvAutoencoderNetwork(SeriesHyperparameters hp) : base(nameof(ConvAutoencoderNetwork))
    {
        var bottleneck = Math.Max(2, hp.ConvFilters / 2);
        // kernel 7, stride 2, padding 3: length L → ceil(L/2); the transposed layers double it back (then cropped).
        encode1 = Conv1d(hp.Channels, hp.ConvFilters, 7, stride: 2, padding: 3);
        encode2 = Conv1d(hp.ConvFilters, bottleneck, 7, stride: 2, padding: 3);
        decode1 = ConvTranspose1d(bottleneck, hp.ConvFilters, 7, stride: 2, padding: 3, output_padding: 1);
        decode2 = ConvTranspose1d(hp.ConvFilters, hp.Channels, 7, stride: 2, padding: 3, output_padding: 1);
        // libtorch's kernel for the last layer (many channels → the series' few) is slow; for the bundle's window it
        // runs as two matrix products with the same weights (TransposedConvolutionGemm).
        decode2AsGemm = new TransposedConvolutionGemm(decode2, 2 * Halved(Halved(hp.Window)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor window)
    {
        var length = window.shape[1];
        var mean = window.mean([1], keepdim: true);
        var x = (window - mean).transpose(1, 2);                          // [B, C, W]
        // ReLUs in place: the convolutions' outputs are not needed again (also not by autograd), so no copies.
        var z = encode2.forward(encode1.forward(x).relu_()).relu_();
        var g = decode1.forward(z).relu_();
        var y = decode2AsGemm.Forward(g);
        if (y.shape[2] != length) y = y[.., .., ..(int)length];            // crop the padding the strides added (odd windows)
        return y.transpose(1, 2) + mean;
    }

    /// <summary>Length after a kernel-7, stride-2, padding-3 convolution.</summary>
    private static int Halved(int length) => (length + 1) / 2;

    protected override void Dispose(bool disposing)
    {
        if (disposing) decode2AsGemm.Dispose();
        base.Dispose(disposing);
    }
}
