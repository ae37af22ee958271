using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Frames;

public sealed class FoldedFrameCnnTests
{
    public FoldedFrameCnnTests() => TorchRuntime.EnsureInitialised();

    [Fact]
    public void Folding_the_batch_norms_gives_the_unfolded_networks_outputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var network = new FrameCnnNetwork(width: 6, outputs: 20);
        // Batch-norm statistics and affine parameters far from their initial 0/1, so folding has real work to do.
        using (no_grad())
            foreach (var (key, value) in network.state_dict())
            {
                if (key.EndsWith("running_mean", StringComparison.Ordinal)) value.copy_(randn_like(value) * 0.5);
                else if (key.EndsWith("running_var", StringComparison.Ordinal)) value.copy_(rand_like(value) * 2 + 0.1);
                else if (System.Text.RegularExpressions.Regex.IsMatch(key, @"^(features\.\d\.1|head\.2)\.(weight|bias)$"))
                    value.copy_(randn_like(value) * 0.3 + (key.EndsWith("weight", StringComparison.Ordinal) ? 1 : 0));
            }
        network.eval();
        var tiles = rand(37, 1, 28, 28);

        using var folded = new FoldedFrameCnn(network, CPU);
        var (logits, embedding, stages) = folded.Forward(tiles, multiScale: true);
        var (expectedLogits, expectedEmbedding) = network.ForwardWithEmbedding(tiles);

        Assert.Equal(expectedLogits.shape, logits.shape);
        var logitError = (logits - expectedLogits).abs().max().item<float>();
        var embeddingError = (embedding - expectedEmbedding).abs().max().item<float>();
        Assert.True(logitError < 1e-4f, $"logits differ by {logitError}");
        Assert.True(embeddingError < 1e-4f, $"embeddings differ by {embeddingError}");
        Assert.Equal([37L, 6 * 6], stages!.shape);
        Assert.True(expectedLogits.abs().max().item<float>() > 0.1f, "the check needs outputs that are not all near zero");
    }

    [Fact]
    public void Folding_leaves_the_trained_network_as_it_was()
    {
        using var scope = NewDisposeScope();
        using var network = new FrameCnnNetwork(width: 4, outputs: 4);
        network.eval();
        var before = network.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        using (var folded = new FoldedFrameCnn(network, CPU)) folded.Forward(rand(3, 1, 28, 28));
        foreach (var (key, value) in network.state_dict())
            Assert.True(value.equal(before[key]).all().item<bool>(), $"{key} changed");
    }
}
