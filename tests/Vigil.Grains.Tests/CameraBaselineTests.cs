using Vigil.Grains.Cameras;
using Vigil.Grains.Devices;

namespace Vigil.Grains.Tests;

/// <summary>What a camera keeps of its scene when the state it finds does not fit the frames it now gets.</summary>
public sealed class CameraBaselineTests
{
    [Fact]
    public void State_from_before_tile_statistics_learns_its_scene_and_its_threshold_again()
    {
        // As stored by a build whose score was the frame's, relative to a frame-wide mean.
        var ladder = new AdaptiveThreshold();
        ladder.Observe(1_000, 0.9f, new ThresholdBudget(10, 6, 1, 3, 0.8));
        var state = new CameraState { Baseline = 0.2f, BaselineFrames = 500, ThresholdLadder = ladder };

        CameraBaseline.EnsureGrid(state, 16);

        Assert.Equal(16, state.TileBaselines!.Length);
        Assert.Equal(16, state.TileVariances!.Length);
        Assert.Equal(16, state.TilePeaks!.Length);
        Assert.Equal(0, state.BaselineFrames); // warm-up again
        Assert.Null(state.ThresholdLadder);    // its counts were of another score
    }

    [Fact]
    public void State_that_fits_is_kept()
    {
        var state = new CameraState();
        CameraBaseline.EnsureGrid(state, 4);
        CameraBaseline.Fold(state, 0.3f, [0.1f, 0.2f, 0.3f, 0.4f]);
        var ladder = state.ThresholdLadder = new AdaptiveThreshold();

        CameraBaseline.EnsureGrid(state, 4);

        Assert.Equal(1, state.BaselineFrames);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], state.TileBaselines!);
        Assert.Same(ladder, state.ThresholdLadder);
        CameraBaseline.EnsureGrid(state, 9); // a model with another grid
        Assert.Equal(0, state.BaselineFrames);
    }
}
