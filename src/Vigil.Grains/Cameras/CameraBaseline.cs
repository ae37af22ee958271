namespace Vigil.Grains.Cameras;

/// <summary>
/// A camera's scores relative to its own scene. A frame-cnn score is calibrated on training images, but a mounted
/// camera looks at the same things frame after frame, and one odd-looking object in its view (a poster, a coat on a
/// hook) scores high in every frame. So each tile keeps its own baseline: the running mean of its calm scores (plain
/// mean over the first <see cref="Memory"/> frames, exponential after), and a tile's relative score rescales what lies
/// above its baseline onto [0, 1]: <c>(s − b) / (1 − b)</c>. The frame's relative score is its highest tile's. A
/// single frame-wide baseline would let the scene's oddest tile hide anything that scores below it elsewhere.
/// </summary>
internal static class CameraBaseline
{
    public const int Memory = 50;

    public static float Relative(float score, float baseline) =>
        baseline >= 1 ? 0 : Math.Clamp((score - baseline) / (1 - baseline), 0, 1);

    /// <summary>The highest tile's relative score and that tile.</summary>
    public static (float Relative, int Tile) Highest(float[] tiles, float[] baselines)
    {
        var (best, top) = (0f, 0);
        for (var t = 0; t < tiles.Length; t++)
        {
            var relative = Relative(tiles[t], baselines[t]);
            if (relative > best) (best, top) = (relative, t);
        }
        return (best, top);
    }

    /// <summary>
    /// Makes sure the tile baselines fit a frame of <paramref name="tiles"/> tiles; a camera whose grid changed (a new
    /// model) or whose state predates tile baselines learns its scene again, warm-up included.
    /// </summary>
    public static void EnsureGrid(CameraState state, int tiles)
    {
        if (state.TileBaselines?.Length == tiles) return;
        state.TileBaselines = new float[tiles];
        state.BaselineFrames = 0;
        state.Baseline = 0;
    }

    /// <summary>Folds a calm frame into the frame and tile baselines.</summary>
    public static void Fold(CameraState state, float frameScore, float[] tiles)
    {
        state.BaselineFrames++;
        var weight = 1f / Math.Min(state.BaselineFrames, Memory);
        state.Baseline += weight * (frameScore - state.Baseline);
        var baselines = state.TileBaselines!;
        for (var t = 0; t < tiles.Length; t++)
            baselines[t] += weight * (tiles[t] - baselines[t]);
    }

    /// <summary>
    /// The scene changed: every tile still at or over <paramref name="level"/> takes its current score as its
    /// baseline (an object was moved in for good); the others keep theirs. Returns how many tiles were taken.
    /// </summary>
    public static int Rebase(CameraState state, float[] tiles, float level)
    {
        var baselines = state.TileBaselines!;
        var taken = 0;
        for (var t = 0; t < tiles.Length; t++)
        {
            if (Relative(tiles[t], baselines[t]) < level) continue;
            baselines[t] = tiles[t];
            taken++;
        }
        return taken;
    }
}
