using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Series;

/// <summary>
/// Convolutional autoencoder over a window (the method of the seed and of the Keras NAB example): two strided
/// Conv1d layers compress the window 4× in time, two transposed convolutions rebuild it.
/// Input and output <c>[batch, window, channels]</c>. Windows are centred on their own mean so shape, not level, is
/// what must be reconstructed. Training runs the layers; scoring (eval mode, no gradients) runs the same function as
/// <see cref="ConvAutoencoderScoringPass"/>, about twice as fast at batch 1 and a quarter faster at batch 64.
/// </summary>
public sealed class ConvAutoencoderNetwork : ScoringCopiesModule
{
    private readonly Conv1d encode1;
    private readonly Conv1d encode2;
    private readonly ConvTranspose1d decode1;
    private readonly ConvTranspose1d decode2;
    private readonly int decode2InputLength;
    // Not a module or Tensor field: RegisterComponents would save its copies with the weights and change every
    // bundle's hash. Built on the first scoring forward; dropped whenever the weights may change (ScoringCopiesModule).
    private ConvAutoencoderScoringPass? scoringPass;

    public ConvAutoencoderNetwork(SeriesHyperparameters hp) : base(nameof(ConvAutoencoderNetwork))
    {
        var bottleneck = Math.Max(2, hp.ConvFilters / 2);
        // kernel 7, stride 2, padding 3: length L → ceil(L/2); the transposed layers double it back (then cropped).
        encode1 = Conv1d(hp.Channels, hp.ConvFilters, 7, stride: 2, padding: 3);
        encode2 = Conv1d(hp.ConvFilters, bottleneck, 7, stride: 2, padding: 3);
        decode1 = ConvTranspose1d(bottleneck, hp.ConvFilters, 7, stride: 2, padding: 3, output_padding: 1);
        decode2 = ConvTranspose1d(hp.ConvFilters, hp.Channels, 7, stride: 2, padding: 3, output_padding: 1);
        Window = hp.Window;
        decode2InputLength = 2 * Halved(Halved(hp.Window));
        RegisterComponents();
    }

    public override Tensor forward(Tensor window)
    {
        var length = window.shape[1];
        var mean = window.mean([1], keepdim: true);
        var centred = window - mean;
        Tensor y;
        if (!IsScoring || length != Window)
        {
            // Training runs the layers themselves (their gradients, and the path every shipped bundle was trained on).
            // Weights change only after a forward that records gradients, so the scoring pass is dropped here.
            DropScoringCopies();
            var x = centred.transpose(1, 2);                                // [B, C, W]
            // ReLUs in place: the convolutions' outputs are not needed again (also not by autograd), so no copies.
            var z = encode2.forward(encode1.forward(x).relu_()).relu_();
            y = decode2.forward(decode1.forward(z).relu_());
        }
        else
        {
            if (scoringPass is null || !SameDevice(scoringPass.Device, encode1.weight!.device))
            {
                DropScoringCopies();
                scoringPass = new ConvAutoencoderScoringPass(encode1, encode2, decode1, decode2, decode2InputLength);
            }
            y = scoringPass.Forward(centred);
        }
        if (y.shape[2] != length) y = y[.., .., ..(int)length];            // crop the padding the strides added (odd windows)
        return y.transpose(1, 2).Plus(mean);
    }

    /// <summary>Readings per window the network was built for (the scoring pass's last layer is sized for it).</summary>
    public int Window { get; }

    protected override void DropScoringCopies()
    {
        scoringPass?.Dispose();
        scoringPass = null;
    }

    /// <summary>Length after a kernel-7, stride-2, padding-3 convolution.</summary>
    private static int Halved(int length) => (length + 1) / 2;
}
