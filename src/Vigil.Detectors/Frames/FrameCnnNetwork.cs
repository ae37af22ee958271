using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Frames;

/// <summary>
/// The tile network: three conv + batch-norm + ReLU stages with max pooling (the seed's conv/pool stack), an
/// adaptive pool to 4×4 so any input size fits, and a small dense head with <c>outputs</c> logits
/// (one per geometric transformation for the one-class objective, two for the supervised head).
/// Position is kept until the head because telling rotations and shifts apart needs it.
/// With <c>withDensity</c> it also carries a <see cref="FeatureDensity"/> over its own embeddings, with <c>memory</c> a
/// <see cref="FeatureMemory"/> (buffers only, so a network without them keeps the weights layout of earlier bundles).
/// Scoring runs <see cref="FoldedFrameCnn"/>, this network with its batch-norms folded away.
/// </summary>
public sealed class FrameCnnNetwork : Module<Tensor, Tensor>
{
    private readonly Sequential features;
    private readonly Sequential head;
    private readonly FeatureDensity? density;
    private readonly FeatureMemory? memory;

    /// <param name="memory">Rows, dimensions and neighbours of a <see cref="FeatureMemory"/>, when the settings use one.</param>
    public FrameCnnNetwork(int width, int outputs, bool withDensity = false, (int Rows, int Dimensions, int Neighbours)? memory = null) : base("frame-cnn")
    {
        if (width < 1 || outputs < 2) throw new ArgumentOutOfRangeException(nameof(width), "width ≥ 1 and outputs ≥ 2 needed.");
        features = Sequential(
            Stage(1, width), MaxPool2d(2),
            Stage(width, 2 * width), MaxPool2d(2),
            Stage(2 * width, 4 * width),
            AdaptiveAvgPool2d(4));
        head = Sequential(
            Flatten(),
            Linear(4 * width * 16, 4 * width), BatchNorm1d(4 * width), ReLU(),
            Linear(4 * width, outputs));
        if (withDensity) density = new FeatureDensity(4 * width);
        if (memory is { } m) this.memory = new FeatureMemory(m.Rows, m.Dimensions, m.Neighbours);
        RegisterComponents();
    }

    private static Sequential Stage(int input, int output) =>
        Sequential(Conv2d(input, output, 3, padding: 1, bias: false), BatchNorm2d(output), ReLU());

    /// <summary><paramref name="tiles"/>: [B, 1, S, S] in [0, 1]; returns [B, outputs] logits.</summary>
    public override Tensor forward(Tensor tiles) => head.forward(features.forward(tiles.sub(KeptScalars.Half)));

    /// <summary>The density over embeddings, when the network was built with one.</summary>
    public FeatureDensity? Density => density;

    /// <summary>The kNN memory of normal embeddings, when the network was built with one.</summary>
    public FeatureMemory? Memory => memory;

    /// <summary>The network its settings describe (with the density or memory they use).</summary>
    public static FrameCnnNetwork For(FrameCnnSettings settings) =>
        new(settings.Width, settings.Outputs, settings.UsesDensity,
            settings.UsesMemory ? (settings.MemoryRows, settings.MemoryDimensions, settings.Neighbours) : null);

    /// <summary>
    /// The head's hidden layer (after batch-norm and ReLU), [B, 4·width]: the tile's description the network built to
    /// tell transformations apart, for feature-space distances to normal tiles.
    /// </summary>
    public Tensor Embed(Tensor tiles) => ForwardWithEmbedding(tiles).Embedding;

    /// <summary>Logits and embedding from one pass.</summary>
    public (Tensor Logits, Tensor Embedding) ForwardWithEmbedding(Tensor tiles)
    {
        var layers = head.children().Cast<Module<Tensor, Tensor>>().ToArray();
        var x = features.forward(tiles.sub(KeptScalars.Half));
        foreach (var layer in layers[..^1]) x = layer.forward(x);
        return (layers[^1].forward(x), x);
    }
}
