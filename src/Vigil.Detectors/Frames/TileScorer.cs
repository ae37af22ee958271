using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Raw anomaly value of tiles from a trained network, many tiles per forward pass.
/// Geometric objective: every tile goes through the scoring transformations in one batch; raw = mean over t of
/// −log p(t | T_t(tile)), the network's surprise at normal-looking structure (Golan &amp; El-Yaniv's simple score).
/// Supervised objective: raw = logit(anomalous) − logit(normal).
/// </summary>
public sealed class TileScorer : IDisposable
{
    private readonly IReadOnlyList<GeometricTransform> _transforms;
    private readonly int[] _scoring;

    public TileScorer(FrameCnnNetwork network, FrameCnnSettings settings, Device device)
    {
        Network = network;
        Settings = settings;
        Device = device;
        var geometric = settings.Objective == FrameCnnSettings.GeometricObjective;
        _transforms = geometric ? settings.CreateTransforms() : [];
        _scoring = geometric ? settings.ScoringTransformIndices() : [];
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
        using var noGrad = no_grad();
        for (var start = 0; start < count; start += MaxTilesPerPass)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(MaxTilesPerPass, count - start);
            var x = tiles[start..(start + n)].to(Device);
            var values = Settings.Objective == FrameCnnSettings.GeometricObjective ? Geometric(x) : Supervised(x);
            var cpu = values.to(CPU).data<float>();
            for (var i = 0; i < n; i++) raw[start + i] = cpu[i];
        }
    }

    private Tensor Geometric(Tensor x)
    {
        var t = _scoring.Length;
        var n = x.shape[0];
        var inputs = cat(_scoring.Select(k => _transforms[k].Apply(x)).ToArray(), 0);
        var logp = nn.functional.log_softmax(Network.forward(inputs), 1);
        var labels = tensor(_scoring.Select(k => (long)k).ToArray(), device: Device).repeat_interleave(n).unsqueeze(1);
        return -logp.gather(1, labels).view(t, n).mean([0]);
    }

    private Tensor Supervised(Tensor x)
    {
        var logits = Network.forward(x);
        return logits[.., 1] - logits[.., 0];
    }

    public void Dispose() => Network.Dispose();
}
