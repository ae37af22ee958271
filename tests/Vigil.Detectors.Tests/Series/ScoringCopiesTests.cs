using TorchSharp;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Series;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Series;

/// <summary>
/// The autoencoder and lstm-dcnn score with channels-last copies of their weights (<see cref="ScoringCopiesModule"/>)
/// and train through their layers: both paths must be the same function, and the copies must follow the weights.
/// </summary>
public sealed class ScoringCopiesTests
{
    [Theory]
    [InlineData("autoencoder", 60, 1, 1)]
    [InlineData("autoencoder", 60, 1, 7)]
    [InlineData("autoencoder", 60, 1, 64)]
    [InlineData("autoencoder", 61, 1, 5)]    // odd window: the decoder's output is cropped
    [InlineData("autoencoder", 16, 3, 4)]    // several channels: the first layer's input is channels-last already
    [InlineData("lstm-dcnn", 60, 1, 1)]
    [InlineData("lstm-dcnn", 60, 1, 64)]
    [InlineData("lstm-dcnn", 24, 3, 5)]
    public void Scoring_equals_the_layers(string kind, int window, int channels, int batch)
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(23);
        using var network = Network(kind, new SeriesHyperparameters { Window = window, Channels = channels, ConvFilters = 16 });
        var windows = randn(batch, window, channels);
        var expected = Layers(network, windows);
        Assert.True((Scored(network, windows) - expected).abs().max().item<float>() < 1e-5f);
        using (no_grad())   // calibration and validation losses score under no_grad, outside inference mode
            Assert.True((network.forward(windows) - expected).abs().max().item<float>() < 1e-5f);
    }

    [Theory]
    [InlineData("autoencoder")]
    [InlineData("lstm-dcnn")]
    public void Scoring_follows_the_weights_after_a_training_step(string kind)
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        torch.manual_seed(29);
        using var network = Network(kind, new SeriesHyperparameters { Window = 60, ConvFilters = 16 });
        var windows = randn(8, 60, 1);
        var before = Scored(network, windows);

        network.train();
        using var optimizer = optim.Adam(network.parameters(), 0.05);
        var output = network.forward(windows);
        nn.functional.mse_loss(output, zeros_like(output)).backward();
        optimizer.step();

        var after = Scored(network, windows);
        Assert.True((after - before).abs().max().item<float>() > 1e-3f);
        Assert.True((after - Layers(network, windows)).abs().max().item<float>() < 1e-5f);
    }

    [Theory]
    [InlineData("autoencoder")]
    [InlineData("lstm-dcnn")]
    public void Scoring_follows_the_weights_after_a_load(string kind)
    {
        TorchRuntime.EnsureInitialised();
        using var scope = NewDisposeScope();
        var hp = new SeriesHyperparameters { Window = 60, ConvFilters = 16 };
        torch.manual_seed(31);
        using var network = Network(kind, hp);
        torch.manual_seed(37);
        using var other = Network(kind, hp);
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

    private static ScoringCopiesModule Network(string kind, SeriesHyperparameters hp) =>
        kind == "autoencoder" ? new ConvAutoencoderNetwork(hp) : new LstmDcnnNetwork(hp);

    /// <summary>The layers' output: training mode with gradients recorded, as training runs them.</summary>
    private static Tensor Layers(ScoringCopiesModule network, Tensor windows)
    {
        network.train();
        var output = network.forward(windows).detach();
        network.eval();
        return output;
    }

    private static Tensor Scored(ScoringCopiesModule network, Tensor windows)
    {
        network.eval();
        using var inference = inference_mode();
        return network.forward(windows).clone();
    }
}
