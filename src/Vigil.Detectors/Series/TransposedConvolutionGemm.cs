using TorchSharp.Modules;
using static TorchSharp.torch;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Series;

/// <summary>
/// A ConvTranspose1d with few output channels, for one input length and channels-last input, computed as two matrix
/// products: every input step's kernel taps (<c>[batch·length, in] × [in, out·kernel]</c>), then a fixed 0/1 matrix
/// that adds each tap onto the output step it lands on (<c>t = i·stride − padding + k</c>). The same sums in another
/// order (within 1e-6). libtorch's own kernel for the autoencoder's last layer (64 channels → 1) ran at ~7 GFLOP/s:
/// 250 of the 960 µs of a batch-64 pass, against 86-95 µs for this (throwaway harness, 2026-11-23).
/// Scoring only: it holds a detached copy of the layer's weights, so whoever holds it rebuilds it when they change
/// (<see cref="ConvAutoencoderScoringPass"/>).
/// </summary>
internal sealed class TransposedConvolutionGemm : IDisposable
{
    private readonly Tensor taps;     // [in, out·kernel]: the layer's weight [in, out, kernel] as it lies in memory
    private readonly Tensor? bias;    // [out, 1]
    private readonly Tensor scatter;  // [length·kernel, outLength]
    private readonly long outChannels;
    private readonly long kernel;

    public TransposedConvolutionGemm(ConvTranspose1d layer, int inputLength)
    {
        InputLength = inputLength;
        var weight = layer.weight!;
        (outChannels, kernel) = (weight.shape[1], weight.shape[2]);
        // Not inference tensors (calibration scores under no_grad, outside inference mode) and owned here, not by
        // whatever dispose scope is open.
        using var plain = inference_mode(false);
        using var noGrad = no_grad();
        taps = weight.detach().reshape(weight.shape[0], outChannels * kernel).clone().DetachFromDisposeScope();
        bias = layer.bias?.detach().view(outChannels, 1).clone().DetachFromDisposeScope();
        scatter = Scatter(layer, inputLength).to(weight.device).DetachFromDisposeScope();
    }

    /// <summary>The input length this instance computes.</summary>
    public int InputLength { get; }

    /// <summary>Output length of <paramref name="layer"/> for an input of <paramref name="inLength"/> steps.</summary>
    public static int OutputLengthOf(ConvTranspose1d layer, int inLength) =>
        (inLength - 1) * (int)layer.stride[0] - 2 * (int)layer.padding![0] + (int)layer.weight!.shape[2] + (int)(layer.output_padding?[0] ?? 0);

    /// <summary><c>[inLength·kernel, outLength]</c>: row <c>i·kernel + k</c> has a 1 at the step tap k of input step i lands on.</summary>
    public static Tensor Scatter(ConvTranspose1d layer, int inLength)
    {
        var (kernel, stride, padding) = ((int)layer.weight!.shape[2], (int)layer.stride[0], (int)layer.padding![0]);
        var outLength = OutputLengthOf(layer, inLength);
        var ones = new float[inLength * kernel * outLength];
        for (var i = 0; i < inLength; i++)
            for (var k = 0; k < kernel; k++)
            {
                var t = i * stride - padding + k;
                if (t >= 0 && t < outLength) ones[(i * kernel + k) * outLength + t] = 1f;
            }
        return tensor(ones).view(inLength * kernel, outLength);
    }

    /// <summary>
    /// The layer's output <c>[batch, out, outLength]</c> for <paramref name="channelsLast"/>: <c>[batch, length, in]</c>,
    /// contiguous (the memory of a channels-last convolution's output).
    /// </summary>
    public Tensor Forward(Tensor channelsLast)
    {
        var (batch, length, inChannels) = (channelsLast.shape[0], channelsLast.shape[1], channelsLast.shape[2]);
        if (length != InputLength)
            throw new ArgumentException($"this layer form computes inputs of {InputLength} steps, not {length}.", nameof(channelsLast));
        var perStep = channelsLast.reshape(batch * length, inChannels).matmul(taps);                   // [B·L, out·kernel]
        var byChannel = outChannels == 1
            ? perStep.view(batch, 1, length * kernel)
            : perStep.view(batch, length, outChannels, kernel).permute(0, 2, 1, 3).reshape(batch, outChannels, length * kernel);
        var y = byChannel.matmul(scatter);                                                            // [B, out, outLength]
        return bias is null ? y : y.PlusInPlace(bias);
    }

    public void Dispose()
    {
        taps.Dispose();
        bias?.Dispose();
        scatter.Dispose();
    }
}
