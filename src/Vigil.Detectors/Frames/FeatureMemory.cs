using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Frames;

/// <summary>
/// A memory bank of normal training tiles' embeddings (as PatchCore and deep nearest-neighbour detectors keep): forward
/// gives each tile's mean squared Euclidean distance to its <c>k</c> nearest normal embeddings. Unlike one Gaussian
/// (<see cref="FeatureDensity"/>), it follows the several shapes a normal class takes (a T-shirt flat, folded,
/// printed) and so a tile close to none of them (a long-sleeved shirt) stands out. Also holds the standardisation of
/// the geometric surprise and of the distance on held-out normal tiles (<see cref="SignalStandardisation"/>). Buffers only: saved with the weights and
/// covered by their SHA-256.
/// </summary>
public sealed class FeatureMemory : Module<Tensor, Tensor>
{
    public FeatureMemory(int rows, int dimensions, int neighbours) : base("memory")
    {
        if (rows < 1 || dimensions < 1 || neighbours < 1 || neighbours > rows)
            throw new ArgumentOutOfRangeException(nameof(rows), $"rows ≥ 1, dimensions ≥ 1 and 1 ≤ neighbours ≤ rows needed (rows {rows}, dimensions {dimensions}, neighbours {neighbours}).");
        Neighbours = neighbours;
        register_buffer("bank", zeros(rows, dimensions));
        register_buffer(SignalStandardisation.BufferName, SignalStandardisation.Identity());
    }

    public int Neighbours { get; }

    private Tensor Buffer(string name) => get_buffer(name) ?? throw new InvalidOperationException($"memory buffer '{name}' is missing");

    public long Rows => Buffer("bank").shape[0];
    public long Dimensions => Buffer("bank").shape[1];

    /// <summary><paramref name="embeddings"/>: [N, D]; returns [N] mean squared distance to the k nearest bank rows.</summary>
    public override Tensor forward(Tensor embeddings)
    {
        var bank = Buffer("bank");
        // ‖x − b‖² = ‖x‖² − 2 x·b + ‖b‖², one matrix product for all pairs.
        // Kept Scalars for the 2, the 0 and the sum's alpha: this runs while a silo serves (KeptScalars).
        var d2 = ((embeddings * embeddings).sum(1, keepdim: true) - embeddings.matmul(bank.t()).mul_(KeptScalars.Two)).Plus((bank * bank).sum(1).unsqueeze(0));
        return d2.clamp_min(KeptScalars.Zero).topk(Neighbours, dim: 1, largest: false).values.mean([1]);
    }

    private Tensor Standardisation => Buffer(SignalStandardisation.BufferName);

    /// <summary>z(geometric) + z(distance), both [N].</summary>
    public Tensor Combine(Tensor geometric, Tensor distance) => SignalStandardisation.Sum(Standardisation, geometric, distance);

    /// <summary>max(z(geometric), z(distance)), both [N].</summary>
    public Tensor CombineByMax(Tensor geometric, Tensor distance) =>
        maximum(SignalStandardisation.Geometric(Standardisation, geometric), SignalStandardisation.Distance(Standardisation, distance));

    /// <summary>z(distance) alone, [N].</summary>
    public Tensor Standardise(Tensor distance) => SignalStandardisation.Distance(Standardisation, distance);

    /// <summary>
    /// Fills the bank from normal embeddings [N, D] (N ≥ rows): evenly spaced rows when there are more than the bank
    /// holds, so the bank's size (and the bundle's) stays what the settings say.
    /// </summary>
    public void Fit(Tensor embeddings)
    {
        var rows = Rows;
        if (embeddings.shape[0] < rows || embeddings.shape[1] != Dimensions)
            throw new ArgumentException($"The memory needs at least {rows} embeddings of {Dimensions} values, got [{string.Join(", ", embeddings.shape)}].");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var n = embeddings.shape[0];
        var picks = Enumerable.Range(0, (int)rows).Select(i => (long)(i * (double)n / rows)).ToArray();
        var bank = Buffer("bank");
        bank.copy_(embeddings.index_select(0, tensor(picks, device: embeddings.device)).to(bank.device));
    }

    /// <summary>Sets the standardisation from both raw signals of held-out normal tiles.</summary>
    public void FitStandardisation(IReadOnlyList<float> geometric, IReadOnlyList<float> distance) =>
        SignalStandardisation.Fit(Standardisation, geometric, distance);
}
