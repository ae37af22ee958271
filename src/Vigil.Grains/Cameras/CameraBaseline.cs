namespace Vigil.Grains.Cameras;

/// <summary>
/// A camera's score relative to its own scene: a frame-cnn score is calibrated on training images, but a camera that
/// always looks at a cluttered hallway scores higher than one facing a wall. The baseline is the running mean of
/// calm frame scores (plain mean over the first <see cref="Memory"/> frames, exponential after), and the relative
/// score rescales what lies above it onto [0, 1]: <c>(s − b) / (1 − b)</c>.
/// </summary>
internal static class CameraBaseline
{
    public const int Memory = 50;

    public static float Relative(float score, float baseline) =>
        baseline >= 1 ? 0 : Math.Clamp((score - baseline) / (1 - baseline), 0, 1);

    public static void Fold(CameraState state, float score)
    {
        state.BaselineFrames++;
        var weight = 1f / Math.Min(state.BaselineFrames, Memory);
        state.Baseline += weight * (score - state.Baseline);
    }
}
