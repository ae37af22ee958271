using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.Detectors.Frames;

/// <summary>
/// The inference form of a trained <see cref="FrameCnnNetwork"/>: every batch-norm folded into the conv or linear
/// layer before it (w' = w·γ/σ, b' = β + (b − μ)·γ/σ with σ = √(var + ε)), so a forward pass is three conv + bias +
/// ReLU + pool stages and two matrix products, with no normalisation passes over the activations. Exact up to float
/// rounding (tested against the unfolded network in eval mode). Weights are copied, on one device; the trained
/// network is left as it was. Convolutions run channels-last (<see cref="ChannelsLast"/>): a throwaway harness
/// (1 thread, shipped bundle, 2026-11-23) timed one frame's pass (64 tiles) at 2.9-3.1 ms against 3.4-3.5 ms, and
/// 256 tiles at 12.6 against 15.1-19.7 ms.
/// </summary>
public sealed class FoldedFrameCnn : IDisposable
{
    /// <summary>Batch-norm ε of TorchSharp's BatchNorm1d/2d default, which the network uses.</summary>
    private const double BatchNormEpsilon = 1e-5;

    // Folding runs when a model grain loads a bundle, beside a serving silo's allocations (see KeptScalars).
    private static readonly Scalar KeptBatchNormEpsilon = BatchNormEpsilon.ToScalar();

    private readonly (Tensor Weight, Tensor Bias)[] _convs;
    private readonly (Tensor Weight, Tensor Bias) _hidden;
    private readonly (Tensor Weight, Tensor Bias) _output;

    public FoldedFrameCnn(FrameCnnNetwork network, Device device)
    {
        using var noGrad = no_grad();
        var state = network.state_dict();
        Tensor Get(string key) => state.TryGetValue(key, out var t) ? t : throw new InvalidOperationException($"frame-cnn state lacks '{key}'");
        (Tensor, Tensor) Fold(string layer, string norm, bool conv)
        {
            using var scope = NewDisposeScope();
            var w = Get($"{layer}.weight").to(ScalarType.Float64);
            var bias = state.TryGetValue($"{layer}.bias", out var b) ? b.to(ScalarType.Float64) : zeros(w.shape[0], dtype: ScalarType.Float64);
            var gamma = Get($"{norm}.weight").to(ScalarType.Float64);
            var beta = Get($"{norm}.bias").to(ScalarType.Float64);
            var mean = Get($"{norm}.running_mean").to(ScalarType.Float64);
            var scale = gamma / Get($"{norm}.running_var").to(ScalarType.Float64).add(KeptBatchNormEpsilon, KeptScalars.One).sqrt();
            var folded = (conv ? w * scale.view(-1, 1, 1, 1) : w * scale.view(-1, 1)).to(ScalarType.Float32).to(device);
            var foldedBias = beta.Plus((bias - mean) * scale);
            return ((conv ? ChannelsLast.Copy(folded) : folded.contiguous()).MoveToOuterDisposeScope(),
                    foldedBias.to(ScalarType.Float32).to(device).contiguous().MoveToOuterDisposeScope());
        }
        // Layout of FrameCnnNetwork: features = [stage, pool, stage, pool, stage, adaptive pool] with stage = [conv, bn, relu];
        // head = [flatten, linear, bn, relu, linear].
        _convs = [Fold("features.0.0", "features.0.1", true), Fold("features.2.0", "features.2.1", true), Fold("features.4.0", "features.4.1", true)];
        _hidden = Fold("head.1", "head.2", false);
        _output = (Get("head.4.weight").to(device).contiguous(), Get("head.4.bias").to(device).contiguous());
        Device = device;
    }

    public Device Device { get; }

    /// <summary>
    /// <paramref name="tiles"/>: [B, 1, S, S] in [0, 1]. Returns the logits [B, outputs], the hidden embedding
    /// [B, 4·width] (as <see cref="FrameCnnNetwork.ForwardWithEmbedding"/>) and, when <paramref name="multiScale"/>,
    /// the spatial means of the second and third conv stages [B, 2·width + 4·width] (coarser and finer descriptions
    /// of the same tile for <see cref="FeatureMemory"/>); all owned by the caller's dispose scope.
    /// </summary>
    public (Tensor Logits, Tensor Embedding, Tensor? Stages) Forward(Tensor tiles, bool multiScale = false)
    {
        var x = tiles.sub(KeptScalars.Half);
        // One input channel is both layouts, so libtorch writes the first stage in the default one: laid out here once.
        x = InferencePooling.MaxPool2x2(ChannelsLast.Of(Stage(x, 0)));
        var second = Stage(x, 1);
        var third = Stage(InferencePooling.MaxPool2x2(second), 2);
        var pooled = functional.adaptive_avg_pool2d(third, [4, 4]).flatten(1);
        var hidden = functional.relu(functional.linear(pooled, _hidden.Weight, _hidden.Bias));
        var logits = functional.linear(hidden, _output.Weight, _output.Bias);
        Tensor? stages = multiScale ? cat([second.mean([2, 3]), third.mean([2, 3])], 1) : null;
        return (logits, hidden, stages);
    }

    private Tensor Stage(Tensor x, int index) =>
        functional.relu(functional.conv2d(x, _convs[index].Weight, _convs[index].Bias, padding: [1, 1]));

    public void Dispose()
    {
        foreach (var (w, b) in _convs) { w.Dispose(); b.Dispose(); }
        _hidden.Weight.Dispose(); _hidden.Bias.Dispose();
        _output.Weight.Dispose(); _output.Bias.Dispose();
    }
}
