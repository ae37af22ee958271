using TorchSharp;
using static TorchSharp.torch;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Raw anomaly value of tiles from a trained network, many tiles per forward pass, through the batch-norm-folded
/// <see cref="FoldedFrameCnn"/>.
/// Geometric objective: every tile goes through the scoring transformations in one batch; surprise = mean over t of
/// −log p(t | T_t(tile)) (Golan &amp; El-Yaniv's simple score). With features <c>hidden</c> raw = z(surprise) +
/// z(Mahalanobis distance of the unrotated tile's embedding, <see cref="FeatureDensity"/>); with a <c>knn</c> feature
/// raw = z(surprise) + z(kNN distance to normal embeddings, <see cref="FeatureMemory"/>), or z(kNN distance) alone
/// for the <c>-only</c> kinds (which then pass only the transformations the memory reads).
/// Supervised objective: raw = logit(anomalous) − logit(normal).
/// </summary>
public sealed class TileScorer : IDisposable
{
    private readonly IReadOnlyList<GeometricTransform> _transforms;
    private readonly int[] _passes;
    private readonly int _identityBlock;
    private readonly bool _surprise;
    private readonly Tensor? _passLabels;
    private readonly FoldedFrameCnn _folded;
    private readonly bool _ownsNetwork;

    /// <param name="ownsNetwork">Dispose the network with the scorer (false while training still uses it).</param>
    public TileScorer(FrameCnnNetwork network, FrameCnnSettings settings, Device device, bool ownsNetwork = true)
    {
        _ownsNetwork = ownsNetwork;
        Network = network;
        Settings = settings;
        Device = device;
        var geometric = settings.Objective == FrameCnnSettings.GeometricObjective;
        _transforms = geometric ? settings.CreateTransforms() : [];
        var scoring = geometric ? settings.ScoringTransformIndices() : [];
        var identity = Array.FindIndex(scoring, k => IsIdentity(_transforms[k]));
        _surprise = geometric && !settings.MemoryAlone;
        // kNN alone on the unrotated tile needs one pass, not one per scoring transformation.
        _passes = settings.MemoryAlone && !settings.MemoryAllTransforms && identity >= 0 ? [scoring[identity]] : scoring;
        _identityBlock = Array.FindIndex(_passes, k => IsIdentity(_transforms[k]));
        if (settings.UsesDensity && (network.Density is null || _identityBlock < 0))
            throw new ArgumentException("features 'hidden' need a network with a density and the identity among the scoring transformations.");
        if (settings.UsesMemory && (network.Memory is null || (!settings.MemoryAllTransforms && _identityBlock < 0)))
            throw new ArgumentException($"features '{settings.Features}' need a network with a memory and the identity among the scoring transformations.");
        MaxTilesPerPass = device.type == DeviceType.CUDA ? 1024 : 16;
        Network.to(device);
        Network.eval();
        _folded = new FoldedFrameCnn(network, device);
        if (geometric) _passLabels = tensor(_passes.Select(k => (long)k).ToArray(), device: device).view(-1, 1, 1);
    }

    private static bool IsIdentity(GeometricTransform t) => t is { Flip: false, ShiftX: 0, ShiftY: 0, QuarterTurns: 0 };

    public FrameCnnNetwork Network { get; }
    public FrameCnnSettings Settings { get; }
    public Device Device { get; }

    /// <summary>
    /// Tiles per forward pass (geometric scoring multiplies it by the scoring transformations). On the CPU small passes
    /// stay in cache: measured with <c>vigil bench detectors</c> on the 2-core machine, 256 tiles per pass (1,024
    /// inputs) scored 13 frames/s at batch 16 against 42 at batch 1 (16 tiles per pass). Measured again with the folded
    /// network, width 16: 64 tiles per pass 117 frames/s at batch 64 against 217 for 16 (load 1.3–2.3). GPUs want large passes.
    /// </summary>
    public int MaxTilesPerPass { get; init; }

    /// <summary><paramref name="tiles"/>: count × S × S values in [0, 1]; writes count raw values.</summary>
    public void RawScores(ReadOnlySpan<float> tiles, int count, Span<float> raw)
    {
        var size = Settings.InputSize;
        var perTile = size * size;
        if (tiles.Length < count * perTile || raw.Length < count)
            throw new ArgumentException($"{count} tiles of {size}x{size} need {count * perTile} inputs and {count} outputs.");
        using var inference = inference_mode();
        for (var start = 0; start < count; start += MaxTilesPerPass)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(MaxTilesPerPass, count - start);
            // Straight from the caller's span into the pass's input: no managed copy of the tiles.
            var host = empty([n, 1, size, size], ScalarType.Float32);
            host.data<float>().CopyFrom(tiles.Slice(start * perTile, n * perTile), 0, 0);
            var x = Device.type == DeviceType.CPU ? host : host.to(Device);
            Copy(Score(x), raw.Slice(start, n));
        }
    }

    /// <summary><paramref name="tiles"/>: [N, 1, S, S] on any device.</summary>
    public void RawScores(Tensor tiles, Span<float> raw)
    {
        var count = (int)tiles.shape[0];
        if (raw.Length < count) throw new ArgumentException($"{count} tiles need {count} outputs, not {raw.Length}.");
        using var inference = inference_mode();
        for (var start = 0; start < count; start += MaxTilesPerPass)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(MaxTilesPerPass, count - start);
            Copy(Score(tiles[start..(start + n)].to(Device)), raw.Slice(start, n));
        }
    }

    /// <summary>
    /// The one-class signals apart, for fitting the density or memory and their standardisation: the geometric
    /// surprise (zeros for the <c>-only</c> kinds), the unrotated tiles' hidden embeddings [N, 4·width] and the
    /// memory's features [N, D] when the settings use a memory (on the CPU; the caller disposes them).
    /// </summary>
    public (float[] Surprise, Tensor Embeddings, Tensor? MemoryFeatures) Signals(Tensor tiles)
    {
        if (Settings.Objective != FrameCnnSettings.GeometricObjective || _identityBlock < 0)
            throw new InvalidOperationException("Signals need the geometric objective with the identity among the scoring transformations.");
        var count = (int)tiles.shape[0];
        var surprise = new float[count];
        var embeddings = new List<Tensor>();
        var features = new List<Tensor>();
        using var inference = inference_mode();
        try
        {
            for (var start = 0; start < count; start += MaxTilesPerPass)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(MaxTilesPerPass, count - start);
                var pass = Compute(tiles[start..(start + n)].to(Device), embedding: true, memory: Settings.UsesMemory);
                if (pass.Surprise is not null) Copy(pass.Surprise, surprise.AsSpan(start, n));
                embeddings.Add(pass.Embedding!.to(CPU).MoveToOuterDisposeScope());
                if (pass.MemoryFeatures is not null) features.Add(pass.MemoryFeatures.to(CPU).MoveToOuterDisposeScope());
            }
            return (surprise, cat(embeddings, 0), features.Count > 0 ? cat(features, 0) : null);
        }
        finally
        {
            foreach (var p in embeddings.Concat(features)) p.Dispose();
        }
    }

    private static void Copy(Tensor values, Span<float> destination)
    {
        var cpu = values.device_type == DeviceType.CPU ? values.contiguous() : values.cpu();
        cpu.data<float>().CopyTo(destination, 0, 0);
    }

    /// <summary>Pixel level above which a tile's silhouette is set (kept: scoring runs beside a silo's allocations, see KeptScalars).</summary>
    private static readonly Scalar SilhouetteLevel = 0.05.ToScalar();

    private Tensor Score(Tensor x)
    {
        if (Settings.Objective != FrameCnnSettings.GeometricObjective)
        {
            var logits = _folded.Forward(x).Logits;
            return logits[.., 1] - logits[.., 0];
        }
        var density = Settings.UsesDensity ? Network.Density : null;
        var memory = Settings.UsesMemory ? Network.Memory : null;
        var pass = Compute(x, embedding: density is not null, memory: memory is not null);
        if (density is not null) return density.Combine(pass.Surprise!, density.forward(pass.Embedding!));
        if (memory is not null)
        {
            var distance = memory.forward(pass.MemoryFeatures!);
            if (pass.Surprise is null) return memory.Standardise(distance);
            return Settings.MemoryMax ? memory.CombineByMax(pass.Surprise, distance) : memory.Combine(pass.Surprise, distance);
        }
        return pass.Surprise!;
    }

    private sealed record Pass(Tensor? Surprise, Tensor? Embedding, Tensor? MemoryFeatures);

    /// <summary>
    /// One forward pass over every tile under every pass transformation: mean surprise [n] (when scored), the unrotated
    /// tiles' hidden embeddings [n, 4·width] and the memory's features [n, D] when asked.
    /// </summary>
    private Pass Compute(Tensor x, bool embedding, bool memory)
    {
        var t = _passes.Length;
        var n = x.shape[0];
        var inputs = t == 1 ? _transforms[_passes[0]].Apply(x) : cat(_passes.Select(k => _transforms[k].Apply(x)).ToArray(), 0);
        var (logits, hidden, stages) = _folded.Forward(inputs, multiScale: memory && Settings.MemoryMultiScale);
        Tensor? surprise = null;
        if (_surprise)
        {
            // Block b of the batch holds transformation _passes[b]; its surprise is −log p of that transformation.
            var logp = nn.functional.log_softmax(logits, 1).view(t, n, -1);
            surprise = -logp.gather(2, _passLabels!.expand(t, n, 1)).view(t, n).mean([0]);
        }
        Tensor Block(Tensor all) => _identityBlock < 0 ? all : all[(int)(_identityBlock * n)..(int)((_identityBlock + 1) * n)];
        Tensor? features = null;
        if (memory && Settings.MemoryPixels)
            features = nn.functional.avg_pool2d(Settings.MemorySilhouette ? x.gt(SilhouetteLevel).to(ScalarType.Float32) : x, 2).flatten(1);
        else if (memory)
        {
            var all = stages is null ? hidden : cat([hidden, stages], 1);
            features = Settings.MemoryAllTransforms
                ? all.view(t, n, -1).permute(1, 0, 2).reshape(n, -1)
                : Block(all);
        }
        return new Pass(surprise, embedding || _identityBlock >= 0 ? Block(hidden) : null, features);
    }

    public void Dispose()
    {
        _passLabels?.Dispose();
        _folded.Dispose();
        if (_ownsNetwork) Network.Dispose();
    }
}
