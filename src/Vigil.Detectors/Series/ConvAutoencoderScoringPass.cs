using TorchSharp.Modules;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.Detectors.Series;

/// <summary>
/// <see cref="ConvAutoencoderNetwork"/>'s layers as scoring runs them: 2-D convolutions over a height of 1 with
/// activations and weights in channels-last layout (<c>[batch, length, channels]</c> in memory), and the last layer
/// as two matrix products (<see cref="TransposedConvolutionGemm"/>). The same function as the layers (within 1e-5).
/// Why: libtorch runs a 1-D convolution in the default layout through oneDNN only from batch 2 on, reordering
/// activations and weights at every layer, and its transposed convolution falls back to a slow kernel; channels-last
/// reaches oneDNN's kernels at every batch size. Throwaway harness on the 2-core machine, one thread, shipped weights
/// (2026-11-23): batch 1 49-51 µs against 98-103, batch 64 651-660 µs against 820-840. Converting the weights per call
/// instead of once cost 25 µs at batch 1 and ~100 µs at batch 64, so they are converted here, once: the network
/// rebuilds this pass whenever its weights may have changed.
/// </summary>
internal sealed class ConvAutoencoderScoringPass : IDisposable
{
    private readonly Layer encode1;
    private readonly Layer encode2;
    private readonly Layer decode1;
    private readonly TransposedConvolutionGemm decode2;

    public ConvAutoencoderScoringPass(Conv1d encode1, Conv1d encode2, ConvTranspose1d decode1, ConvTranspose1d decode2, int decode2InputLength)
    {
        // Plain tensors, owned here: calibration scores under no_grad outside inference mode, and a dispose scope
        // open while this is built must not take them.
        using var plain = inference_mode(false);
        using var noGrad = no_grad();
        Device = encode1.weight!.device;
        this.encode1 = Layer.Of(encode1.weight!, encode1.bias, encode1.stride[0], encode1.padding![0], outputPadding: null);
        this.encode2 = Layer.Of(encode2.weight!, encode2.bias, encode2.stride[0], encode2.padding![0], outputPadding: null);
        this.decode1 = Layer.Of(decode1.weight!, decode1.bias, decode1.stride[0], decode1.padding![0], decode1.output_padding?[0] ?? 0);
        this.decode2 = new TransposedConvolutionGemm(decode2, decode2InputLength);
    }

    /// <summary>The device of the weights it holds.</summary>
    public Device Device { get; }

    /// <summary><paramref name="centred"/>: <c>[batch, window, channels]</c>; returns <c>[batch, channels, length]</c> before the crop.</summary>
    public Tensor Forward(Tensor centred)
    {
        // [B, W, C] is already channels-last [B, C, 1, W]; a single channel is both layouts, and libtorch then writes
        // the first layer's output in the default one, so it is laid out channels-last here once.
        var x = centred.permute(0, 2, 1).unsqueeze(2);
        var h = ChannelsLast.Of(encode1.Apply(x)).relu_();
        h = encode2.Apply(h).relu_();
        h = decode1.Apply(h).relu_();                                      // [B, C', 1, L'] with memory [B, L', C']
        return decode2.Forward(h.permute(0, 2, 3, 1).squeeze(1));          // [B, L', C'] contiguous
    }

    public void Dispose()
    {
        encode1.Dispose();
        encode2.Dispose();
        decode1.Dispose();
        decode2.Dispose();
    }

    /// <summary>A 1-D (transposed) convolution as a 2-D one over height 1, its weight in channels-last layout.</summary>
    private sealed class Layer(Tensor weight, Tensor? bias, long[] stride, long[] padding, long[]? outputPadding) : IDisposable
    {
        public static Layer Of(Tensor weight1d, Tensor? bias, long stride, long padding, long? outputPadding) =>
            new(ChannelsLast.Copy(weight1d.detach().unsqueeze(2)).DetachFromDisposeScope(),
                bias?.detach().clone().DetachFromDisposeScope(),
                [1, stride], [0, padding], outputPadding is { } o ? [0, o] : null);

        public Tensor Apply(Tensor x) => outputPadding is null
            ? functional.conv2d(x, weight, bias, strides: stride, padding: padding)
            : functional.conv_transpose2d(x, weight, bias, strides: stride, padding: padding, output_padding: outputPadding);

        public void Dispose()
        {
            weight.Dispose();
            bias?.Dispose();
        }
    }
}
