namespace Vigil.Detectors.Frames;

/// <summary>One tile of a frame, in source pixels: left/top corner and size (always inside the frame).</summary>
public readonly record struct TileRect(int X, int Y, int Width, int Height);
