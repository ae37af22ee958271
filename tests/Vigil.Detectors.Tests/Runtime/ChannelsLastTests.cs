using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Runtime;

public sealed class ChannelsLastTests
{
    [Fact]
    public void Lays_out_the_same_values_with_channels_fastest_and_leaves_a_laid_out_tensor_alone()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        var nchw = randn(2, 3, 4, 5);
        var laidOut = ChannelsLast.Of(nchw);
        Assert.Equal(nchw.shape, laidOut.shape);
        Assert.Equal(new long[] { 60, 1, 15, 3 }, laidOut.stride());
        Assert.Equal(0f, (laidOut - nchw).abs().max().item<float>());
        Assert.Same(laidOut, ChannelsLast.Of(laidOut));
    }

    [Fact]
    public void A_convolution_over_channels_last_input_and_weight_gives_the_same_output()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var x = randn(4, 8, 6, 6);
        var w = randn(5, 8, 3, 3);
        var expected = nn.functional.conv2d(x, w, padding: [1, 1]);
        var actual = nn.functional.conv2d(ChannelsLast.Of(x), ChannelsLast.Of(w), padding: [1, 1]);
        Assert.Equal(1, actual.stride(1));   // the output stays channels-last
        Assert.True((actual - expected).abs().max().item<float>() < 1e-4f);
    }

    [Fact]
    public void A_copy_shares_no_memory_with_its_source_in_either_layout()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        foreach (var source in new[] { randn(2, 3, 4, 5), ChannelsLast.Of(randn(2, 3, 4, 5)) })
        {
            var copy = ChannelsLast.Copy(source);
            Assert.Equal(1, copy.stride(1));
            Assert.Equal(0f, (copy - source).abs().max().item<float>());
            source.add_(1);
            Assert.Equal(1f, (source - copy).min().item<float>(), 1e-5f);
        }
    }
}
