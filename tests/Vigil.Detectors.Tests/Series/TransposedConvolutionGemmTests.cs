using TorchSharp;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Series;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Series;

public sealed class TransposedConvolutionGemmTests
{
    /// <summary>The two-GEMM form of the autoencoder's last layer gives the layer's own output, with one output channel
    /// and with several, at the batch sizes where it engages and at batch 1 (which stays on the layer).</summary>
    [Theory]
    [InlineData(64, 1, 30, 64)]
    [InlineData(64, 1, 30, 5)]
    [InlineData(64, 1, 30, 1)]
    [InlineData(16, 3, 16, 7)]
    public void Equals_the_transposed_convolution(int inChannels, int outChannels, int length, int batch)
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(11);
        using var layer = nn.ConvTranspose1d(inChannels, outChannels, 7, stride: 2, padding: 3, output_padding: 1);
        using var gemm = new TransposedConvolutionGemm(layer, length);
        var x = randn(batch, inChannels, length);
        var expected = layer.forward(x).detach();
        Assert.True((gemm.Forward(x) - expected).abs().max().item<float>() < 1e-5f);     // training path (grad on)
        using (inference_mode())
            Assert.True((gemm.Forward(x) - expected).abs().max().item<float>() < 1e-5f); // scoring path (weight detached)
    }

    [Fact]
    public void Gradients_reach_the_layers_weights_as_through_the_layer()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        using var layer = nn.ConvTranspose1d(8, 1, 7, stride: 2, padding: 3, output_padding: 1);
        using var gemm = new TransposedConvolutionGemm(layer, 10);
        var x = randn(4, 8, 10);
        layer.forward(x).pow(2).sum().backward();
        var expected = layer.weight!.grad!.clone();
        layer.zero_grad();
        gemm.Forward(x).pow(2).sum().backward();
        Assert.True((layer.weight!.grad! - expected).abs().max().item<float>() < 1e-4f);
    }

    [Fact]
    public void The_scatter_matrix_places_each_tap_where_the_definition_puts_it()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        using var layer = nn.ConvTranspose1d(2, 1, 7, stride: 2, padding: 3, output_padding: 1);
        var scatter = TransposedConvolutionGemm.Scatter(layer, 5);
        Assert.Equal(new long[] { 7 * 5, 10 }, scatter.shape);
        // Tap k of input step i lands on output step 2i - 3 + k; taps that land outside the output add nothing.
        Assert.Equal(1f, scatter[3 * 5 + 0, 0].item<float>());   // k=3, i=0 → t=0
        Assert.Equal(1f, scatter[6 * 5 + 3, 9].item<float>());   // k=6, i=3 → t=9
        Assert.Equal(0f, scatter[0 * 5 + 0].sum().item<float>()); // k=0, i=0 → t=-3: dropped
        Assert.Equal(7 * 5 - 6, (int)scatter.sum().item<float>()); // off the ends: i=0 k=0..2, i=1 k=0, i=4 k=5..6
    }
}
