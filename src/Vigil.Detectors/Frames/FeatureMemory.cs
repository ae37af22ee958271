using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.Detectors.Frames;

/// <summary>
/// A memory bank of normal training tiles' embeddings (as PatchCore and deep nearest-neighbour detectors keep): forward
/// gives each tile's mean squared Euclidean distance to its <c>k</c> nearest normal embeddings. Unlike one Gaussian
/// (<see cref="FeatureDensity"/>), it follows the several shapes a normal class takes (a T-shirt flat, folded,
/// printed) and so a tile close to none of them (a long-sleeved shirt) stands out. Also holds the standardisation of
/// the geometric surprise and of the distance on held-out normal tiles. Buffers only: saved with the weights and
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
        // geometric mean, geometric spread, distance mean, distance spread
        register_buffer("standardisation", tensor(new float[] { 0, 1, 0, 1 }));
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
        var d2 = (embeddings * embeddings).sum(1, keepdim: true) - 2 * embeddings.matmul(bank.t()) + (bank * bank).sum(1).unsqueeze(0);
        return d2.clamp_min(0).topk(Neighbours, dim: 1, largest: false).values.mean([1]);
    }

    /// <summary>z(geometric) + z(distance), both [N].</summary>
    public Tensor Combine(Tensor geometric, Tensor distance)
    {
        var s = Buffer("standardisation");
        return (geometric - s[0]) / s[1] + (distance - s[2]) / s[3];
    }

    /// <summary>max(z(geometric), z(distance)), both [N].</summary>
    public Tensor CombineByMax(Tensor geometric, Tensor distance)
    {
        var s = Buffer("standardisation");
        return maximum((geometric - s[0]) / s[1], (distance - s[2]) / s[3]);
    }

    /// <summary>z(distance) alone, [N].</summary>
    public Tensor Standardise(Tensor distance)
    {
        var s = Buffer("standardisation");
        return (distance - s[2]) / s[3];
    }

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
    public void FitStandardisation(IReadOnlyList<float> geometric, IReadOnlyList<float> distance)
    {
        var (gm, gs) = FeatureDensity.Stats(geometric);
        var (dm, ds) = FeatureDensity.Stats(distance);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var s = Buffer("standardisation");
        s.copy_(tensor(new[] { (float)gm, (float)gs, (float)dm, (float)ds }, device: s.device));
    }
}
