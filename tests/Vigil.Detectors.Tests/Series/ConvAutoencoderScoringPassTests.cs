using TorchSharp;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Series;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Series;

/// <summary>
/// The autoencoder scores through <see cref="ConvAutoencoderScoringPass"/> (channels-last convolutions, copies of the
/// weights) and trains through its layers: both must be the same function, and the copies must follow the weights.
/// </summary>
public sealed class ConvAutoencoderScoringPassTests
{
    [Theory]
    [InlineData(60, 1, 1)]
    [InlineData(60, 1, 7)]
    [InlineData(60, 1, 64)]
    [InlineData(61, 1, 5)]    // odd window: the decoder's output is cropped
    [InlineData(16, 3, 4)]    // several channels: the first layer's input is channels-last already
    public void Scoring_equals_the_layers(int window, int channels, int batch)
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(23);
        using var network = new ConvAutoencoderNetwork(new SeriesHyperparameters { Window = window, Channels = channels, ConvFilters = 16 });
        var windows = randn(batch, window, channels);
        var expected = Layers(network, windows);
        Assert.True((Scored(network, windows) - expected).abs().max().item<float>() < 1e-5f);
        using (no_grad())   // calibration and validation losses score under no_grad, outside inference mode
            Assert.True((network.forward(windows) - expected).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Scoring_follows_the_weights_after_a_training_step()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(29);
        using var network = new ConvAutoencoderNetwork(new SeriesHyperparameters { Window = 60, ConvFilters = 16 });
        var windows = randn(8, 60, 1);
        var before = Scored(network, windows);

        network.train();
        using var optimizer = optim.Adam(network.parameters(), 0.05);
        nn.functional.mse_loss(network.forward(windows), windows).backward();
        optimizer.step();

        var after = Scored(network, windows);
        Assert.True((after - before).abs().max().item<float>() > 1e-3f);
        Assert.True((after - Layers(network, windows)).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void Scoring_follows_the_weights_after_a_load()
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        var hp = new SeriesHyperparameters { Window = 60, ConvFilters = 16 };
        torch.manual_seed(31);
        using var network = new ConvAutoencoderNetwork(hp);
        torch.manual_seed(37);
        using var other = new ConvAutoencoderNetwork(hp);
        var windows = randn(4, 60, 1);
        _ = Scored(network, windows);

        using (var saved = new MemoryStream())
        {
            other.save(saved);
            using var read = new MemoryStream(saved.ToArray());
            network.load(read);
        }
        Assert.True((Scored(network, windows) - Layers(other, windows)).abs().max().item<float>() < 1e-5f);
    }

    /// <summary>The layers' output: training mode with gradients recorded, as training runs them.</summary>
    private static Tensor Layers(ConvAutoencoderNetwork network, Tensor windows)
    {
        network.train();
        var output = network.forward(windows).detach();
        network.eval();
        return output;
    }

    private static Tensor Scored(ConvAutoencoderNetwork network, Tensor windows)
    {
        network.eval();
        using var inference = inference_mode();
        return network.forward(windows).clone();
    }
}
