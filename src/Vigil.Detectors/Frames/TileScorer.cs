using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Raw anomaly value of tiles from a trained network, many tiles per forward pass.
/// Geometric objective: every tile goes through the scoring transformations in one batch; raw = mean over t of
/// −log p(t | T_t(tile)), the network's surprise at normal-looking structure (Golan &amp; El-Yaniv's simple score).
/// With a <see cref="FeatureDensity"/> (features <c>hidden</c>) the same pass also yields the unrotated tile's
/// embedding, and raw = z(surprise) + z(Mahalanobis distance of the embedding to normal tiles).
/// Supervised objective: raw = logit(anomalous) − logit(normal).
/// </summary>
public sealed class TileScorer : IDisposable
{
    private readonly IReadOnlyList<GeometricTransform> _transforms;
    private readonly int[] _scoring;
    private readonly int _identityBlock;

    public TileScorer(FrameCnnNetwork network, FrameCnnSettings settings, Device device)
    {
        Network = network;
        Settings = settings;
        Device = device;
        var geometric = settings.Objective == FrameCnnSettings.GeometricObjective;
        _transforms = geometric ? settings.CreateTransforms() : [];
        _scoring = geometric ? settings.ScoringTransformIndices() : [];
        _identityBlock = Array.FindIndex(_scoring, k => _transforms[k] is { Flip: false, ShiftX: 0, ShiftY: 0, QuarterTurns: 0 });
        if (settings.UsesDensity && (network.Density is null || _identityBlock < 0))
            throw new ArgumentException("features 'hidden' need a network with a density and the identity among the scoring transformations.");
        MaxTilesPerPass = device.type == DeviceType.CUDA ? 1024 : 16;
        Network.to(device);
        Network.eval();
    }

    public FrameCnnNetwork Network { get; }
    public FrameCnnSettings Settings { get; }
    public Device Device { get; }

    /// <summary>
    /// Tiles per forward pass (geometric scoring multiplies it by the scoring transformations). On the CPU small passes
    /// stay in cache: measured with <c>vigil bench detectors</c> on the 2-core machine, 256 tiles per pass (1,024
    /// inputs) scored 13 frames/s at batch 16 against 42 at batch 1 (16 tiles per pass). GPUs want large passes.
    /// </summary>
    public int MaxTilesPerPass { get; init; }

    /// <summary><paramref name="tiles"/>: count × S × S values in [0, 1]; writes count raw values.</summary>
    public void RawScores(ReadOnlySpan<float> tiles, int count, Span<float> raw)
    {
        var size = Settings.InputSize;
        if (tiles.Length < count * size * size || raw.Length < count)
            throw new ArgumentException($"{count} tiles of {size}x{size} need {count * size * size} inputs and {count} outputs.");
        using var scope = NewDisposeScope();
        var all = tensor(tiles[..(count * size * size)].ToArray(), [count, 1, size, size]);
        RawScores(all, raw);
    }

    /// <summary><paramref name="tiles"/>: [N, 1, S, S] on any device.</summary>
    public void RawScores(Tensor tiles, Span<float> raw)
    {
        var count = (int)tiles.shape[0];
        if (raw.Length < count) throw new ArgumentException($"{count} tiles need {count} outputs, not {raw.Length}.");
        var geometric = Settings.Objective == FrameCnnSettings.GeometricObjective;
        var density = Settings.UsesDensity ? Network.Density : null;
        using var noGrad = no_grad();
        for (var start = 0; start < count; start += MaxTilesPerPass)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(MaxTilesPerPass, count - start);
            var x = tiles[start..(start + n)].to(Device);
            Tensor values;
            if (!geometric) values = Supervised(x);
            else
            {
                var (surprise, embedding) = Geometric(x, withEmbedding: density is not null);
                values = density is null ? surprise : density.Combine(surprise, density.forward(embedding!));
            }
            Copy(values, raw.Slice(start, n));
        }
    }

    /// <summary>
    /// The two one-class signals apart, for fitting the density and its standardisation: the geometric surprise and
    /// the unrotated tiles' embeddings ([N, D] on the CPU; the caller disposes it).
    /// </summary>
    public (float[] Surprise, Tensor Embeddings) Signals(Tensor tiles)
    {
        if (Settings.Objective != FrameCnnSettings.GeometricObjective || _identityBlock < 0)
            throw new InvalidOperationException("Signals need the geometric objective with the identity among the scoring transformations.");
        var count = (int)tiles.shape[0];
        var surprise = new float[count];
        var parts = new List<Tensor>();
        using var noGrad = no_grad();
        try
        {
            for (var start = 0; start < count; start += MaxTilesPerPass)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(MaxTilesPerPass, count - start);
                var (values, embedding) = Geometric(tiles[start..(start + n)].to(Device), withEmbedding: true);
                Copy(values, surprise.AsSpan(start, n));
                parts.Add(embedding!.to(CPU).MoveToOuterDisposeScope());
            }
            return (surprise, cat(parts, 0));
        }
        finally
        {
            foreach (var p in parts) p.Dispose();
        }
    }

    private static void Copy(Tensor values, Span<float> destination)
    {
        var cpu = values.to(CPU).data<float>();
        for (var i = 0; i < destination.Length; i++) destination[i] = cpu[i];
    }

    /// <summary>Mean surprise over the scoring transformations, [n]; with the unrotated tiles' embeddings [n, D] when asked.</summary>
    private (Tensor Surprise, Tensor? Embedding) Geometric(Tensor x, bool withEmbedding)
    {
        var t = _scoring.Length;
        var n = x.shape[0];
        var inputs = cat(_scoring.Select(k => _transforms[k].Apply(x)).ToArray(), 0);
        Tensor logits;
        Tensor? embedding = null;
        if (withEmbedding)
        {
            (logits, var all) = Network.ForwardWithEmbedding(inputs);
            embedding = all[(int)(_identityBlock * n)..(int)((_identityBlock + 1) * n)];
        }
        else logits = Network.forward(inputs);
        var logp = nn.functional.log_softmax(logits, 1);
        var labels = tensor(_scoring.Select(k => (long)k).ToArray(), device: Device).repeat_interleave(n).unsqueeze(1);
        return (-logp.gather(1, labels).view(t, n).mean([0]), embedding);
    }

    private Tensor Supervised(Tensor x)
    {
        var logits = Network.forward(x);
        return logits[.., 1] - logits[.., 0];
    }

    public void Dispose() => Network.Dispose();
}
