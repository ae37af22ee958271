using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Series;

/// <summary>
/// The LSTM alternative of the autoencoder (the other half of the "LSTM or Conv1d, your measured choice";
/// <c>vigil train autoencoder --architecture lstm</c>): an encoder LSTM reads the window and its last hidden state is
/// the code; a decoder LSTM unrolls the code over the window's length and a linear layer reads each step back out.
/// Input and output <c>[batch, window, channels]</c>, centred on the window's mean like the convolutional one.
/// </summary>
public sealed class LstmAutoencoderNetwork : Module<Tensor, Tensor>
{
    private readonly LSTM encoder;
    private readonly LSTM decoder;
    private readonly Linear output;

    public LstmAutoencoderNetwork(SeriesHyperparameters hp) : base(nameof(LstmAutoencoderNetwork))
    {
        encoder = LSTM(hp.Channels, hp.LstmHidden, batchFirst: true);
        decoder = LSTM(hp.LstmHidden, hp.LstmHidden, batchFirst: true);
        output = Linear(hp.LstmHidden, hp.Channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor window)
    {
        var steps = window.shape[1];
        var mean = window.mean([1], keepdim: true);
        var (_, hidden, _) = encoder.forward(window - mean);                     // hidden: [1, B, H]
        var code = hidden[-1].unsqueeze(1).expand(-1, steps, -1).contiguous();   // [B, W, H]
        var (sequence, _, _) = decoder.forward(code);
        return output.forward(sequence).Plus(mean);
    }
}
