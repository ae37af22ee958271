using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.Detectors.Frames;

/// <summary>
/// A Gaussian over the embeddings of normal training tiles (<see cref="FrameCnnNetwork.Embed"/>): forward gives each
/// tile's squared Mahalanobis distance to it. The geometric score misses tiles whose shape still tells its orientation
/// (half a shirt under a bright block, a noisy shirt); their description is still far from every normal tile's.
/// It also holds the standardisation that puts both signals on one scale (mean and spread of each over held-out
/// normal tiles), so <see cref="Combine"/> is a sum of two z-scores. Buffers only: saved with the network's weights.
/// </summary>
public sealed class FeatureDensity : Module<Tensor, Tensor>
{
    /// <summary>Ridge added to the covariance, as a share of its mean variance, so a thin direction cannot dominate.</summary>
    public const double Shrinkage = 0.01;

    public FeatureDensity(int dimensions) : base("density")
    {
        if (dimensions < 1) throw new ArgumentOutOfRangeException(nameof(dimensions), "dimensions ≥ 1 needed.");
        register_buffer("mean", zeros(dimensions));
        register_buffer("precision", eye(dimensions));
        // geometric mean, geometric spread, distance mean, distance spread
        register_buffer(SignalStandardisation.BufferName, SignalStandardisation.Identity());
    }

    private Tensor Buffer(string name) => get_buffer(name) ?? throw new InvalidOperationException($"density buffer '{name}' is missing");

    /// <summary><paramref name="embeddings"/>: [N, D]; returns [N] squared Mahalanobis distances.</summary>
    public override Tensor forward(Tensor embeddings)
    {
        var z = embeddings - Buffer("mean");
        return (z.matmul(Buffer("precision")) * z).sum(1);
    }

    /// <summary>z(geometric) + z(distance), both [N].</summary>
    public Tensor Combine(Tensor geometric, Tensor distance) =>
        SignalStandardisation.Sum(Buffer(SignalStandardisation.BufferName), geometric, distance);

    /// <summary>Fits mean and precision to normal embeddings [N, D] (N &gt; 1), in double precision.</summary>
    public void Fit(Tensor embeddings)
    {
        if (embeddings.shape[0] < 2) throw new ArgumentException($"The density needs at least 2 embeddings, got {embeddings.shape[0]}.");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var x = embeddings.to(ScalarType.Float64);
        var mu = x.mean([0], keepdim: true);
        var centred = x - mu;
        var covariance = centred.t().matmul(centred) / (x.shape[0] - 1);
        var d = covariance.shape[0];
        var ridge = Math.Max(Shrinkage * covariance.diagonal().mean().item<double>(), 1e-6);
        var precision = linalg.inv(covariance + eye(d, dtype: ScalarType.Float64, device: x.device) * ridge);
        Buffer("mean").copy_(mu.squeeze(0));
        Buffer("precision").copy_(precision);
    }

    /// <summary>Sets the standardisation from both raw signals of held-out normal tiles.</summary>
    public void FitStandardisation(IReadOnlyList<float> geometric, IReadOnlyList<float> distance) =>
        SignalStandardisation.Fit(Buffer(SignalStandardisation.BufferName), geometric, distance);
}
