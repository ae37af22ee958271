using Vigil.Detectors.Frames;

namespace Vigil.Detectors.Tests.Frames;

public sealed class AurocTests
{
    [Fact]
    public void Perfect_reversed_and_tied_rankings()
    {
        bool[] labels = [false, false, true, true];
        Assert.Equal(1.0, Auroc.Compute([0.1f, 0.2f, 0.8f, 0.9f], labels));
        Assert.Equal(0.0, Auroc.Compute([0.9f, 0.8f, 0.2f, 0.1f], labels));
        Assert.Equal(0.5, Auroc.Compute([0.5f, 0.5f, 0.5f, 0.5f], labels));
        Assert.Equal(0.75, Auroc.Compute([0.1f, 0.6f, 0.5f, 0.9f], labels));
    }

    [Fact]
    public void One_sided_labels_are_refused() =>
        Assert.Throws<ArgumentException>(() => Auroc.Compute([0.1f, 0.2f], [true, true]));
}
