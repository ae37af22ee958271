using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

public sealed class EnsembleScoreTests
{
    [Theory]
    [InlineData(EnsembleRule.Min, 0.2, 0.1)]
    [InlineData(EnsembleRule.Mean, 0.5, 0.35)]
    [InlineData(EnsembleRule.Max, 0.8, 0.6)]
    public void Combines_per_row_by_the_rule(EnsembleRule rule, double first, double second)
    {
        var combined = EnsembleScore.Combine([[0.2, 0.6], [0.8, 0.1]], rule);
        Assert.Equal(first, combined[0], 9);
        Assert.Equal(second, combined[1], 9);
        Assert.Equal(first, EnsembleScore.Combine(0.2, 0.8, rule), 9);
    }
}
