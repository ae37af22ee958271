using TorchSharp;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Series;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Series;

public sealed class TransposedConvolutionGemmTests
{
    /// <summary>The two-GEMM form of the autoencoder's last layer, fed channels-last input as the scoring pass does,
    /// gives the layer's own output, with one output channel and with several, at batch 1 and at larger batches.</summary>
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
        var channelsLast = x.transpose(1, 2).contiguous();
        using (no_grad())
            Assert.True((gemm.Forward(channelsLast) - expected).abs().max().item<float>() < 1e-5f);   // calibration
        using (inference_mode())
            Assert.True((gemm.Forward(channelsLast) - expected).abs().max().item<float>() < 1e-5f);   // scoring
    }

    [Fact]
    public void Keeps_the_weights_it_was_built_with_and_refuses_other_lengths()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        using var layer = nn.ConvTranspose1d(8, 1, 7, stride: 2, padding: 3, output_padding: 1);
        using var gemm = new TransposedConvolutionGemm(layer, 10);
        var x = randn(3, 10, 8);
        using var inference = inference_mode();
        var before = gemm.Forward(x);
        using (no_grad()) layer.weight!.mul_(2);
        // A copy, not a view: whoever holds it rebuilds it when the weights change (the network's scoring pass does).
        Assert.Equal(0f, (gemm.Forward(x) - before).abs().max().item<float>());
        Assert.Throws<ArgumentException>(() => gemm.Forward(randn(3, 11, 8)));
    }

    [Fact]
    public void The_scatter_matrix_places_each_tap_where_the_definition_puts_it()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        using var layer = nn.ConvTranspose1d(2, 1, 7, stride: 2, padding: 3, output_padding: 1);
        var scatter = TransposedConvolutionGemm.Scatter(layer, 5);
        Assert.Equal(new long[] { 5 * 7, 10 }, scatter.shape);
        // Tap k of input step i (row i·7 + k) lands on output step 2i - 3 + k; taps that land outside add nothing.
        Assert.Equal(1f, scatter[0 * 7 + 3, 0].item<float>());   // i=0, k=3 → t=0
        Assert.Equal(1f, scatter[3 * 7 + 6, 9].item<float>());   // i=3, k=6 → t=9
        Assert.Equal(0f, scatter[0 * 7 + 0].sum().item<float>()); // i=0, k=0 → t=-3: dropped
        Assert.Equal(5 * 7 - 6, (int)scatter.sum().item<float>()); // off the ends: i=0 k=0..2, i=1 k=0, i=4 k=5..6
    }
}
