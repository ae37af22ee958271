using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>
/// One geometric transformation of a tile (Golan &amp; El-Yaniv 2018): optional horizontal flip, then a shift
/// (zero-filled, the background of most frames), then a rotation by multiples of 90°. The network learns to tell
/// which one was applied to a normal tile; on an anomalous tile it cannot, and that uncertainty is the score.
/// </summary>
public sealed record GeometricTransform(bool Flip, int ShiftX, int ShiftY, int QuarterTurns)
{
    /// <summary><paramref name="tiles"/>: [B, C, S, S]. Returns a new tensor (caller's dispose scope owns it).</summary>
    public Tensor Apply(Tensor tiles)
    {
        var x = Flip ? tiles.flip(3) : tiles.alias();
        if (ShiftX != 0 || ShiftY != 0) x = Shift(x, ShiftX, ShiftY);
        if (QuarterTurns % 4 != 0) x = x.rot90(QuarterTurns, (2, 3));
        return x;
    }

    private static Tensor Shift(Tensor x, int dx, int dy)
    {
        var h = x.shape[2];
        var w = x.shape[3];
        // Pad on the side the content moves away from, then crop back to S×S.
        var padded = nn.functional.pad(x, [Math.Max(dx, 0), Math.Max(-dx, 0), Math.Max(dy, 0), Math.Max(-dy, 0)]);
        var left = Math.Max(-dx, 0);
        var top = Math.Max(-dy, 0);
        return padded[.., .., top..(int)(top + h), left..(int)(left + w)];
    }

    public override string ToString() => $"{(Flip ? "flip " : "")}shift({ShiftX},{ShiftY}) rot{QuarterTurns * 90}";
}

/// <summary>Builds the transformation set named in a bundle, e.g. <c>rot</c>, <c>rot,cross</c>, <c>rot,flip,shift</c> (the full 72 of Golan &amp; El-Yaniv).</summary>
public static class GeometricTransformSet
{
    public static IReadOnlyList<GeometricTransform> Create(string spec, int inputSize, double shiftFraction)
    {
        var parts = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var unknown = parts.Except(["rot", "flip", "shift", "cross"]).ToArray();
        if (unknown.Length > 0 || parts.Count == 0)
            throw new ArgumentException($"Transformation set '{spec}': expected a comma list of rot, flip, shift (3×3 grid of shifts) or cross (centre and 4 shifts).");
        var s = (int)Math.Round(inputSize * shiftFraction);
        var flips = parts.Contains("flip") ? new[] { false, true } : [false];
        var shifts = parts.Contains("shift") ? new[] { 0, -s, s } : [0];
        (int, int)[] offsets = parts.Contains("cross")
            ? [(0, 0), (-s, 0), (s, 0), (0, -s), (0, s)]
            : shifts.SelectMany(dx => shifts.Select(dy => (dx, dy))).ToArray();
        var turns = parts.Contains("rot") ? new[] { 0, 1, 2, 3 } : [0];
        var set = new List<GeometricTransform>();
        foreach (var f in flips)
            foreach (var (dx, dy) in offsets)
                foreach (var r in turns)
                    set.Add(new GeometricTransform(f, dx, dy, r));
        if (set.Count < 2)
            throw new ArgumentException($"Transformation set '{spec}' has fewer than two transformations.");
        return set;
    }
}
