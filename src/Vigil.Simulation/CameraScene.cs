namespace Vigil.Simulation;

/// <summary>
/// What one mounted camera sees: the same 4×4 scene of normal images frame after frame, as a real camera watches the
/// same room, with what changes between a real camera's frames: sensor noise, the light, and now and then an object
/// moved for good (a normal image swapped for another: the scene changed, nothing is wrong). An anomaly is a foreign
/// object (an image of another class) standing in one place for as long as the anomaly lasts.
/// </summary>
public sealed class CameraScene
{
    /// <summary>Grey levels of sensor noise either way, per pixel and frame.</summary>
    public const int Noise = 4;

    /// <summary>Frame-to-frame change of the light: a gain drawn from [1 − this, 1 + this].</summary>
    public const double LightChange = 0.08;

    /// <summary>Chance per frame that one object of the scene is moved for good (about once an hour at a frame every 10 s).</summary>
    public const double MoveChance = 1.0 / 360;

    private readonly FrameMosaics _images;
    private readonly int[] _cells;
    private (int Cell, int Image)? _intruder;

    internal CameraScene(FrameMosaics images, int[] cells)
    {
        _images = images;
        _cells = cells;
    }

    /// <summary>Normal images moved so far (scene changes, not anomalies).</summary>
    public int Moves { get; private set; }

    /// <summary>
    /// The next frame, <see cref="FrameMosaics.Size"/>² grey bytes. While <paramref name="anomalous"/> holds, one cell
    /// shows the same foreign image (placed when the anomaly starts, gone when it ends).
    /// </summary>
    public byte[] Frame(Random random, bool anomalous)
    {
        if (random.NextDouble() < MoveChance)
        {
            _cells[random.Next(_cells.Length)] = random.Next(_images.NormalCount);
            Moves++;
        }
        if (!anomalous) _intruder = null;
        else _intruder ??= (random.Next(_cells.Length), random.Next(_images.ForeignCount));

        var frame = new byte[FrameMosaics.Size * FrameMosaics.Size];
        for (int cell = 0; cell < _cells.Length; cell++)
            FrameMosaics.Place(frame, cell, _intruder is { } i && i.Cell == cell ? _images.Foreign(i.Image) : _images.Normal(_cells[cell]));
        var gain = 1 + (2 * random.NextDouble() - 1) * LightChange;
        for (int p = 0; p < frame.Length; p++)
            frame[p] = (byte)Math.Clamp((int)Math.Round(frame[p] * gain) + random.Next(-Noise, Noise + 1), 0, 255);
        return frame;
    }
}
