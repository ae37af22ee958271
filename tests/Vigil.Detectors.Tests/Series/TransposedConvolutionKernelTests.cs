using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Series;

public sealed class TransposedConvolutionKernelTests
{
    /// <summary>
    /// The autoencoder's decoder runs libtorch's transposed convolutions, which are not right for every shape: with
    /// libtorch 2.10 on the 2-core machine, the oneDNN kernel for a stride-1 ConvTranspose1d at batch &gt; 1 differed
    /// from the definition by up to 2.0 (its non-oneDNN kernel agreed). This pins the shapes Vigil uses, at the batch
    /// sizes where oneDNN takes over.
    /// </summary>
    [Theory]
    [InlineData(64, 1, 30)]
    [InlineData(32, 64, 15)]
    public void The_autoencoders_transposed_layers_in_libtorch_equal_the_definition(int inChannels, int outChannels, int length)
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(7);
        using var layer = nn.ConvTranspose1d(inChannels, outChannels, 7, stride: 2, padding: 3, output_padding: 1);
        var x = randn(16, inChannels, length);
        using var inference = inference_mode();
        Assert.True((layer.forward(x) - Definition(layer, x)).abs().max().item<float>() < 1e-5f);
    }

    /// <summary>y[n, o, i·stride − padding + k] += x[n, c, i] · w[c, o, k], plus the bias: the sums written out.</summary>
    private static Tensor Definition(TorchSharp.Modules.ConvTranspose1d layer, Tensor x)
    {
        var w = layer.weight!.data<float>().ToArray();
        var bias = layer.bias?.data<float>().ToArray();
        var input = x.contiguous().data<float>().ToArray();
        var (n, cin, length) = ((int)x.shape[0], (int)x.shape[1], (int)x.shape[2]);
        var (cout, kernel) = ((int)layer.weight!.shape[1], (int)layer.weight!.shape[2]);
        var (stride, padding) = ((int)layer.stride[0], (int)layer.padding![0]);
        var outLength = (length - 1) * stride - 2 * padding + kernel + (int)(layer.output_padding?[0] ?? 0);
        var y = new float[n * cout * outLength];
        for (var b = 0; b < n; b++)
            for (var o = 0; o < cout; o++)
            {
                for (var t = 0; t < outLength; t++) y[(b * cout + o) * outLength + t] = bias?[o] ?? 0f;
                for (var c = 0; c < cin; c++)
                    for (var i = 0; i < length; i++)
                        for (var k = 0; k < kernel; k++)
                        {
                            var t = i * stride - padding + k;
                            if (t >= 0 && t < outLength)
                                y[(b * cout + o) * outLength + t] += input[(b * cin + c) * length + i] * w[(c * cout + o) * kernel + k];
                        }
            }
        return tensor(y).view(n, cout, outLength);
    }
}
