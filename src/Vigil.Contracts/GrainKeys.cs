namespace Vigil.Contracts;

/// <summary>
/// How grain keys are formed and which ids are allowed; the one place that knows the separator.
/// Ids are validated here so the HTTP API, the simulator and the grains reject the same things with the same words.
/// </summary>
public static class GrainKeys
{
    public const char Separator = '/';

    /// <summary>Long enough for real device names, short enough that a key stays a small Redis key and log field.</summary>
    public const int MaxIdLength = 64;

    /// <summary>The key of the single <see cref="IAlertFeedGrain"/>.</summary>
    public const string AlertFeed = "alerts";

    /// <summary>Model version that follows the newest published bundle and hot-swaps to newer ones.</summary>
    public const string LatestVersion = "latest";

    /// <summary><c>home/device</c> for device grains.</summary>
    public static string ForDevice(string home, string device) => Join(Validated(home, "home"), Validated(device, "device"));

    /// <summary><c>home/camera</c> for camera grains.</summary>
    public static string ForCamera(string home, string camera) => Join(Validated(home, "home"), Validated(camera, "camera"));

    /// <summary><c>home</c> for home grains.</summary>
    public static string ForHome(string home) => Validated(home, "home");

    /// <summary><c>detector/kind</c> for the fleet prior of one sensor kind scored by one detector (scores of
    /// different detectors are not comparable).</summary>
    public static string ForFleet(string detector, string kind) => Join(Validated(detector, "detector"), Validated(kind, "kind"));

    /// <summary><c>detector/version/slot</c> for model grains.</summary>
    public static string ForModel(string detector, string version, int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        return $"{Validated(detector, "detector")}{Separator}{Validated(version, "version")}{Separator}{slot}";
    }

    /// <summary>Splits a <c>home/device</c> (or <c>home/camera</c>) key.</summary>
    public static (string Home, string Member) ParseMember(string key)
    {
        var parts = key.Split(Separator);
        if (parts.Length != 2 || Check(parts[0]) is not null || Check(parts[1]) is not null)
            throw new ArgumentException($"'{key}' is not a 'home/member' grain key.", nameof(key));
        return (parts[0], parts[1]);
    }

    /// <summary>Splits a <c>detector/version/slot</c> key.</summary>
    public static (string Detector, string Version, int Slot) ParseModel(string key)
    {
        var parts = key.Split(Separator);
        if (parts.Length != 3 || Check(parts[0]) is not null || Check(parts[1]) is not null
            || !int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var slot))
            throw new ArgumentException($"'{key}' is not a 'detector/version/slot' grain key.", nameof(key));
        return (parts[0], parts[1], slot);
    }

    /// <summary>
    /// Slot of a stream among <paramref name="slots"/> model activations: FNV-1a over the UTF-16 code units, so the
    /// same device lands on the same slot in every process and every run (<c>string.GetHashCode</c> is randomised).
    /// </summary>
    public static int SlotFor(string streamKey, int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        var hash = 2166136261u;
        foreach (var c in streamKey)
        {
            hash = (hash ^ (byte)c) * 16777619u;
            hash = (hash ^ (byte)(c >> 8)) * 16777619u;
        }
        return (int)(hash % (uint)slots);
    }

    /// <summary>Null when <paramref name="id"/> is a valid id, else what is wrong with it (for a 400 answer).</summary>
    public static string? Check(string? id)
    {
        if (string.IsNullOrEmpty(id))
            return "is empty";
        if (id.Length > MaxIdLength)
            return $"is {id.Length} characters long (at most {MaxIdLength})";
        if (id.Contains(Separator))
            return $"contains '{Separator}'";
        foreach (var c in id)
            if (!IsAllowed(c))
                return $"contains '{c}' (allowed: letters, digits, '-', '_', '.', ':')";
        if (id is "." or "..")
            return "is a dot path";
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="what"/> unless <paramref name="id"/> is valid.</summary>
    public static string Validated(string? id, string what) =>
        Check(id) is { } problem ? throw new ArgumentException($"{what} id '{id}' {problem}.", what) : id!;

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':';

    private static string Join(string a, string b) => $"{a}{Separator}{b}";
}
