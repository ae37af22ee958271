using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vigil.Detectors.Runtime;

/// <summary>
/// One optimiser step that cannot poison the weights: a non-finite loss or gradient (seen rarely on the CPU backend,
/// with small convolutions) would spread NaN to every weight through Adam, so such a step is skipped. Every trainer
/// (series and frames) steps through here; training fails loudly if it keeps happening.
/// </summary>
internal static class GuardedStep
{
    /// <summary>Backward, gradient check (clipped to <paramref name="maxGradNorm"/>; infinity only measures), step.</summary>
    /// <returns>False when the step was skipped.</returns>
    public static bool Run(Tensor loss, IEnumerable<Parameter> parameters, optim.Optimizer optimizer, double maxGradNorm)
    {
        loss.backward();
        var norm = nn.utils.clip_grad_norm_(parameters, maxGradNorm);
        if (!double.IsFinite(norm) || !float.IsFinite(loss.item<float>())) return false;
        optimizer.step();
        return true;
    }

    /// <summary>Counts a skipped step; more than max(3, a tenth of the epoch's steps) means training diverged.</summary>
    public static void CountSkipped(ref int skipped, int stepsPerEpoch, int epoch)
    {
        if (++skipped > Math.Max(3, stepsPerEpoch / 10))
            throw new InvalidOperationException($"training diverged: {skipped} steps gave non-finite losses or gradients in epoch {epoch}.");
    }
}
