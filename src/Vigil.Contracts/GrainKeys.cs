namespace Vigil.Contracts;

/// <summary>How grain keys are formed; the one place that knows the separator.</summary>
public static class GrainKeys
{
    public const char Separator = '/';

    /// <summary><c>home/device</c> for device and camera grains.</summary>
    public static string ForDevice(string home, string device) => $"{home}{Separator}{device}";
}
