using TorchSharp;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Runtime;

/// <summary>The trainers' Adam must be TorchSharp's Adam, bit for bit, only with its Scalars held through the step.</summary>
public sealed class KeptScalarsAdamTests
{
    public KeptScalarsAdamTests() => TorchRuntime.EnsureInitialised();

    [Fact]
    public void Gives_the_same_weights_as_TorchSharps_Adam_bit_for_bit_under_a_learning_rate_schedule()
    {
        var theirs = Train(parameters => optim.Adam(parameters, 0.01));
        var ours = Train(parameters => new KeptScalarsAdam(parameters, 0.01));

        Assert.Equal(theirs.Count, ours.Count);
        for (var i = 0; i < theirs.Count; i++) Assert.Equal(theirs[i], ours[i]);
        Assert.Contains(theirs, w => w != 0); // trained, not zeros
    }

    [Fact]
    public void Refuses_the_options_it_does_not_implement()
    {
        using var layer = nn.Linear(3, 1);
        using var adam = new KeptScalarsAdam(layer.parameters(), 0.01);
        adam.ParamGroups.OfType<TorchSharp.Modules.Adam.ParamGroup>().Single().Options.weight_decay = 0.1;
        using var loss = layer.forward(ones(2, 3)).sum();
        loss.backward();
        Assert.Throws<NotSupportedException>(() => adam.step());
    }

    /// <summary>Forty steps of a small two-layer network on a fixed regression, with cosine annealing; its final weights.</summary>
    private static List<float> Train(Func<IEnumerable<TorchSharp.Modules.Parameter>, optim.Optimizer> optimiser)
    {
        // Weights and data from formulas, not the global generator, which tests on other threads draw from too.
        using var network = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1));
        using (no_grad())
            foreach (var p in network.parameters())
                p.copy_(arange(p.numel(), dtype: float32).mul(0.37).sin().mul(0.5).reshape(p.shape));
        using var inputs = arange(32 * 4, dtype: float32).mul(0.61).cos().reshape(32, 4);
        using var targets = inputs.sum(1, keepdim: true).sin();
        using var optimizer = optimiser(network.parameters());
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, 40);
        for (var step = 0; step < 40; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(network.forward(inputs), targets);
            loss.backward();
            optimizer.step();
            schedule.step();
        }
        return network.parameters().SelectMany(p => p.data<float>().ToArray()).ToList();
    }
}
