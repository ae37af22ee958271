using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vigil.Detectors.Runtime;

/// <summary>
/// TorchSharp's Adam with every Scalar of its step held until the step ends. TorchSharp 0.107's <c>Adam.step</c> passes
/// its betas, ε and step size as temporary Scalars (see <see cref="KeptScalars"/>), and a garbage collection on another
/// thread can finalise one while libtorch reads it: the "Unknown scalar type" that failed a training step now and then
/// even inside a <see cref="NoGcRegion"/> (whose budget another thread's allocations also spend). Same arithmetic in
/// the same order as TorchSharp's, so training gives bit-for-bit the weights it gave (checked in its tests); it stays
/// an <see cref="Adam"/>, so learning-rate schedulers drive it as before.
/// </summary>
internal sealed class KeptScalarsAdam : Adam
{
    public KeptScalarsAdam(IEnumerable<Parameter> parameters, double learningRate) : base(parameters, learningRate)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(Update, closure);

    private void Update(ParamGroup group)
    {
        var options = group.Options;
        if (options.weight_decay != 0 || options.amsgrad == true || options.maximize == true)
            throw new NotSupportedException("KeptScalarsAdam implements plain Adam only (no weight decay, AMSGrad or maximise).");

        var beta1 = options.beta1!.Value;
        var beta2 = options.beta2!.Value;
        var learningRate = options.LearningRate!.Value;
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var gradientWeight = (1 - beta1).ToScalar();
        using var squareWeight = (1 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;

            state.step += 1;
            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            using var rootCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-(learningRate / biasCorrection1)).ToScalar();

            state.exp_avg.mul_(beta1Scalar).add_(grad, gradientWeight);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), squareWeight);
            var denominator = state.exp_avg_sq.sqrt().div_(rootCorrection2).add_(eps, KeptScalars.One);
            param.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }
}
