using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vigil.Detectors.Series;

/// <summary>
/// A ConvTranspose1d with few output channels, for one input length, computed as two matrix products: every input
/// step's kernel taps (<c>[out·kernel, in] × [in, length]</c>), then a fixed 0/1 matrix that adds each tap onto the
/// output step it lands on (<c>t = i·stride − padding + k</c>). The same sums in another order (within 1e-6).
/// libtorch's own kernel for the autoencoder's last layer (64 channels → 1) ran at ~7 GFLOP/s: 250 of the 960 µs of a
/// batch-64 pass, against 86-95 µs for this (throwaway harness, 2026-11-23). A single window stays on the layer.
/// It reads the layer's own weight and bias, so training through it and loading bundles work as before.
/// </summary>
internal sealed class TransposedConvolutionGemm : IDisposable
{
    private readonly ConvTranspose1d layer;
    private Tensor scatter;

    public TransposedConvolutionGemm(ConvTranspose1d layer, int inputLength)
    {
        this.layer = layer;
        InputLength = inputLength;
        // Not an inference tensor (training multiplies by it too) and owned here, not by whatever scope is open.
        using var training = inference_mode(false);
        scatter = Scatter(layer, inputLength).DetachFromDisposeScope();
    }

    /// <summary>The input length this instance computes; other lengths go to the layer itself.</summary>
    public int InputLength { get; }

    /// <summary>Output length of <paramref name="layer"/> for an input of <paramref name="inLength"/> steps.</summary>
    public static int OutputLength(ConvTranspose1d layer, int inLength) =>
        (inLength - 1) * (int)layer.stride[0] - 2 * (int)layer.padding![0] + (int)layer.weight!.shape[2] + (int)(layer.output_padding?[0] ?? 0);

    /// <summary><c>[kernel·inLength, outLength]</c>: row <c>k·inLength + i</c> has a 1 at the step tap k of input step i lands on.</summary>
    public static Tensor Scatter(ConvTranspose1d layer, int inLength)
    {
        var (kernel, stride, padding) = ((int)layer.weight!.shape[2], (int)layer.stride[0], (int)layer.padding![0]);
        var outLength = OutputLength(layer, inLength);
        var ones = new float[kernel * inLength * outLength];
        for (var k = 0; k < kernel; k++)
            for (var i = 0; i < inLength; i++)
            {
                var t = i * stride - padding + k;
                if (t >= 0 && t < outLength) ones[(k * inLength + i) * outLength + t] = 1f;
            }
        return tensor(ones).view(kernel * inLength, outLength);
    }

    /// <summary>The layer's output for <paramref name="x"/> <c>[batch, in, length]</c>.</summary>
    public Tensor Forward(Tensor x)
    {
        // A single window is faster through libtorch's kernel (one call against seven: 8-10 against 15 µs).
        if (x.shape[2] != InputLength || x.shape[0] == 1) return layer.forward(x);
        // Detached when nothing records gradients (scoring): libtorch's matmul folds the batch into one GEMM only for
        // operands that do not require grad; with the parameter itself it ran the slow batched path (~+100 µs at 64).
        var weight = is_grad_enabled() ? layer.weight! : layer.weight!.detach();   // [in, out, kernel]
        var (inChannels, outChannels, kernel) = (weight.shape[0], weight.shape[1], weight.shape[2]);
        var taps = matmul(weight.permute(1, 2, 0).reshape(outChannels * kernel, inChannels), x);   // [B, out·kernel, length]
        var y = taps.view(x.shape[0], outChannels, kernel * InputLength).matmul(ScatterOn(x.device)); // [B, out, outLength]
        return layer.bias is { } bias ? y.add_(bias.view(outChannels, 1)) : y;
    }

    /// <summary>The 0/1 matrix follows the layer's device on first use there (a module move does not see it).</summary>
    private Tensor ScatterOn(Device device)
    {
        if (scatter.device == device) return scatter;
        using var training = inference_mode(false);
        var moved = scatter.to(device).DetachFromDisposeScope();
        scatter.Dispose();
        return scatter = moved;
    }

    public void Dispose() => scatter.Dispose();
}
