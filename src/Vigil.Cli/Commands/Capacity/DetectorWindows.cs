using System.Text.Json;

namespace Vigil.Cli.Commands.Capacity;

/// <summary>
/// The longest window of the series bundles in a models folder: a device grain scores nothing until its window is
/// full, so a warm-up shorter than window / rate would put unscored (cheap) readings into the measured window.
/// </summary>
public static class DetectorWindows
{
    public static int Longest(string modelsPath)
    {
        int longest = 0;
        if (!Directory.Exists(modelsPath)) return 0;
        foreach (var manifest in Directory.EnumerateFiles(modelsPath, "manifest.json", SearchOption.AllDirectories))
        {
            try
            {
                using var json = JsonDocument.Parse(File.ReadAllText(manifest));
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("window", out var window) && window.ValueKind == JsonValueKind.Number
                    && window.TryGetInt32(out var length))
                    longest = Math.Max(longest, length);
            }
            catch (JsonException)
            {
                // the silo refuses a broken bundle at start and says which; nothing to add here
            }
        }
        return longest;
    }
}
