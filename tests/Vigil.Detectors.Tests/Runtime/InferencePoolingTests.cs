using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Runtime;

public sealed class InferencePoolingTests
{
    [Theory]
    [InlineData(3, 8, 28, 28)]
    [InlineData(2, 4, 14, 14)]
    [InlineData(1, 1, 7, 7)]     // odd: last row and column dropped, as max_pool2d does
    [InlineData(2, 3, 5, 8)]
    [InlineData(1, 2, 2, 3)]
    public void MaxPool2x2_equals_max_pool2d(int n, int c, int h, int w)
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var x = randn(n, c, h, w);
        var expected = nn.functional.max_pool2d(x, 2);
        var actual = InferencePooling.MaxPool2x2(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(0f, (expected - actual).abs().max().item<float>());
    }

    [Fact]
    public void MaxPool2x2_keeps_ties_and_negative_values()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -3, -1, 0, 0, -2, -5, 0, 0 }).view(1, 1, 2, 4);
        var pooled = InferencePooling.MaxPool2x2(x);
        Assert.Equal(new float[] { -1, 0 }, pooled.data<float>().ToArray());
    }

    [Fact]
    public void MaxPool2x2_refuses_what_it_cannot_pool()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => InferencePooling.MaxPool2x2(zeros(2, 3, 4)));
        Assert.Throws<ArgumentException>(() => InferencePooling.MaxPool2x2(zeros(1, 1, 1, 4)));
    }
}
