namespace Vigil.Grains.Cameras;

/// <summary>
/// A camera's frames judged against its own scene. A mounted camera looks at the same things frame after frame: each
/// tile's frame-cnn score has its own usual level (an odd-looking poster scores high in every frame) and its own
/// frame-to-frame wobble (sensor noise, the light). So each tile keeps a running mean and variance of its calm scores
/// (plain over the first <see cref="Memory"/> frames, exponential after), and a tile is judged by how many of its own
/// spreads it lies above its mean: z. A foreign object that the network scores only a little above a T-shirt is
/// still many spreads above a tile that never moves.
/// </summary>
/// <remarks>
/// The frame's score is on the devices' log scale, where a score s promises 10^(−10 s) of calm scorings: each tile's
/// tail is taken as e^(−z) (exponential, heavier than a Gaussian, as tile scores are), and the highest tile of T has
/// a chance of at most T·e^(−z) (a union bound), so score = −log10(T·e^(−z_max)) / 10. That lets a camera's threshold
/// start from the same prior as a sensor's (<see cref="Devices.AdaptiveThreshold.SeriesPromise"/>) and then learn
/// from its own alerts. The spread has a floor (<c>Vigil:Scoring:CameraMinTileSpread</c>) so a tile that has not moved
/// yet does not turn the smallest wobble into an alert. And a tile's spread is at least how far its peak (its highest
/// score, relaxing over <see cref="PeakMemory"/> frames) lies above its mean: tile scores are heavy-tailed where the
/// view changes all the time (a street, a screen), a variance over recent calm frames misses the rare high ones, and
/// without this every such tile's next high score would be an alert (README, cameras: a fifth of the excess still
/// let 85 false alerts a camera a day through on the simulator's random mosaics). Anything up to the peak is within
/// one spread, so a tile alerts only on what lies far beyond what it has recently shown.
/// </remarks>
internal static class CameraBaseline
{
    public const int Memory = 50;

    /// <summary>Frames over which a tile's peak relaxes towards its mean: an hour at a frame every 10 s, so a spot where
    /// something passed keeps its raised spread for a few hours (another object there must lie 14 times the peak's
    /// decayed excess above the mean to score 0.5: about 2.7 hours later for the same object). An object that stays
    /// (moved in for good) sits at its tile's new peak from its second frame on and scores 0, so its alert clears by
    /// the usual rule and the tile's mean takes the new object in over the next calm frames.</summary>
    public const int PeakMemory = 360;

    /// <summary>A tile's spread: its standard deviation, its peak's excess over its mean, or the floor, whichever is largest.</summary>
    public static float Spread(CameraState state, int tile, float minSpread) =>
        MathF.Max(MathF.Max(MathF.Sqrt(state.TileVariances![tile]), minSpread), state.TilePeaks![tile] - state.TileBaselines![tile]);

    /// <summary>A tile's score on the log scale: −log10(tiles·e^(−z)) / 10, in [0, 1].</summary>
    public static float TileScore(CameraState state, int tile, float score, float minSpread, int tiles)
    {
        var z = (score - state.TileBaselines![tile]) / Spread(state, tile, minSpread);
        return Math.Clamp((float)((z * Math.Log10(Math.E) - Math.Log10(tiles)) / 10), 0f, 1f);
    }

    /// <summary>The highest tile's score (the frame's) and that tile.</summary>
    public static (float Score, int Tile) Highest(float[] tiles, CameraState state, float minSpread)
    {
        var (best, top) = (0f, 0);
        for (var t = 0; t < tiles.Length; t++)
        {
            var score = TileScore(state, t, tiles[t], minSpread, tiles.Length);
            if (score > best) (best, top) = (score, t);
        }
        return (best, top);
    }

    /// <summary>
    /// Makes sure the tile statistics fit a frame of <paramref name="tiles"/> tiles; a camera whose grid changed (a new
    /// model) or whose state predates them learns its scene again, warm-up included, and its threshold's counts begin
    /// again too (they were counted on other scores).
    /// </summary>
    public static void EnsureGrid(CameraState state, int tiles)
    {
        if (state.TileBaselines?.Length == tiles && state.TileVariances?.Length == tiles && state.TilePeaks?.Length == tiles) return;
        state.TileBaselines = new float[tiles];
        state.TileVariances = new float[tiles];
        state.TilePeaks = new float[tiles];
        state.BaselineFrames = 0;
        state.Baseline = 0;
        state.ThresholdLadder = null;
    }

    /// <summary>Folds a calm frame into the frame baseline and every tile's mean and variance.</summary>
    public static void Fold(CameraState state, float frameScore, float[] tiles)
    {
        state.BaselineFrames++;
        var weight = 1f / Math.Min(state.BaselineFrames, Memory);
        state.Baseline += weight * (frameScore - state.Baseline);
        var (means, variances) = (state.TileBaselines!, state.TileVariances!);
        for (var t = 0; t < tiles.Length; t++)
        {
            // Exponentially weighted mean and variance (West 1979): with weight 1/n, exactly the plain ones.
            var delta = tiles[t] - means[t];
            means[t] += weight * delta;
            variances[t] = (1 - weight) * (variances[t] + weight * delta * delta);
        }
    }

    /// <summary>
    /// Raises each tile's peak to its score in this frame, after the frame is judged, whether it alerted or not: in a
    /// view where high scores keep coming (a street, a screen) they are that view's normal, and a peak that learnt only
    /// from calm frames would never learn them, each one being an alert. Peaks relax towards the means over
    /// <see cref="PeakMemory"/> frames.
    /// </summary>
    public static void RaisePeaks(CameraState state, float[] tiles)
    {
        var (means, peaks) = (state.TileBaselines!, state.TilePeaks!);
        const float keep = 1f - 1f / PeakMemory;
        for (var t = 0; t < tiles.Length; t++)
            peaks[t] = MathF.Max(tiles[t], means[t] + (peaks[t] - means[t]) * keep);
    }
}
