using static TorchSharp.torch;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Puts the geometric surprise and a feature distance on one scale: their mean and spread over held-out normal tiles,
/// kept as a 4-value buffer [geometric mean, geometric spread, distance mean, distance spread] that
/// <see cref="FeatureDensity"/> and <see cref="FeatureMemory"/> both register under <see cref="BufferName"/> (so it is
/// saved with the weights and covered by their SHA-256).
/// </summary>
internal static class SignalStandardisation
{
    public const string BufferName = "standardisation";

    /// <summary>The buffer before fitting: z-scores equal the raw values.</summary>
    public static Tensor Identity() => tensor(new float[] { 0, 1, 0, 1 });

    public static Tensor Geometric(Tensor buffer, Tensor geometric) => (geometric - buffer[0]) / buffer[1];

    public static Tensor Distance(Tensor buffer, Tensor distance) => (distance - buffer[2]) / buffer[3];

    /// <summary>z(geometric) + z(distance), both [N].</summary>
    public static Tensor Sum(Tensor buffer, Tensor geometric, Tensor distance) => Geometric(buffer, geometric).Plus(Distance(buffer, distance));

    /// <summary>Sets the buffer from both raw signals of held-out normal tiles.</summary>
    public static void Fit(Tensor buffer, IReadOnlyList<float> geometric, IReadOnlyList<float> distance)
    {
        var (gm, gs) = Stats(geometric);
        var (dm, ds) = Stats(distance);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        buffer.copy_(tensor(new[] { (float)gm, (float)gs, (float)dm, (float)ds }, device: buffer.device));
    }

    /// <summary>Mean and sample spread (at least 1e-6) of at least 2 finite values.</summary>
    private static (double Mean, double Spread) Stats(IReadOnlyList<float> v)
    {
        if (v.Count < 2 || v.Any(x => !float.IsFinite(x))) throw new ArgumentException("Standardisation needs at least 2 finite values.");
        var mean = v.Average(x => (double)x);
        var sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
        return (mean, Math.Max(sd, 1e-6));
    }
}
