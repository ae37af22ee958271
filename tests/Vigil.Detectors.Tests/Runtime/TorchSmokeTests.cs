using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.Detectors.Tests.Runtime;

public sealed class TorchSmokeTests
{
    [Fact]
    public void Lstm_and_conv1d_run_forward_and_backward_on_the_cpu()
    {
        TorchRuntime.EnsureInitialised();
        torch.manual_seed(1);
        using var scope = NewDisposeScope();
        var device = TorchRuntime.ResolveDevice("cpu");

        var lstm = LSTM(inputSize: 1, hiddenSize: 16, batchFirst: true).to(device);
        var conv = Conv1d(1, 8, kernel_size: 3, dilation: 2).to(device);
        var head = Linear(16 + 8, 1).to(device);

        var x = randn(4, 30, 1, device: device);                    // batch, time, channel
        var (seq, _, _) = lstm.forward(x);
        var last = seq[.., -1, ..];                                   // [4, 16]
        var convolved = functional.relu(conv.forward(x.transpose(1, 2))).mean([2]); // [4, 8]
        var y = head.forward(cat([last, convolved], 1));
        var loss = functional.mse_loss(y, zeros(4, 1, device: device));
        loss.backward();

        Assert.Equal([4L, 1L], y.shape);
        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.NotNull(lstm.parameters().First().grad);
        Assert.True(conv.weight!.grad!.abs().sum().item<float>() > 0);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("auto")]
    public void Device_names_resolve(string spec)
    {
        var device = TorchRuntime.ResolveDevice(spec);
        Assert.True(device.type is DeviceType.CPU or DeviceType.CUDA);
    }

    [Fact]
    public void Unknown_device_is_refused_with_the_choices()
    {
        var e = Assert.Throws<ArgumentException>(() => TorchRuntime.ResolveDevice("tpu"));
        Assert.Contains("cpu, cuda", e.Message);
    }
}
