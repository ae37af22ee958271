using System.Text.Json;
using Vigil.Detectors.Bundles;

namespace Vigil.Silo.Simulation;

/// <summary>
/// Where the simulator's camera images come from, and which Fashion-MNIST class is the cameras' normal scene: the
/// class the shipped frame-cnn bundle was trained on, when its manifest says so (else class 0, T-shirt/top).
/// </summary>
internal sealed record SimulatorPaths(string? FashionMnist, int NormalClass)
{
    public static SimulatorPaths Resolve(string fashionMnistPath, string modelsPath)
    {
        var folder = Directory.Exists(fashionMnistPath) ? fashionMnistPath : null;
        return new SimulatorPaths(folder, NormalClassOf(Path.Combine(modelsPath, DetectorKinds.FrameCnn, ModelBundle.ManifestFile)));
    }

    private static int NormalClassOf(string manifest)
    {
        try
        {
            if (!File.Exists(manifest))
            {
                return 0;
            }

            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            return FindNormalClass(document.RootElement) ?? 0;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return 0;
        }
    }

    /// <summary>Any integer property named like <c>normalClass</c>, anywhere in the manifest.</summary>
    private static int? FindNormalClass(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals("normalClass", StringComparison.OrdinalIgnoreCase)
                    && property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var c) && c is >= 0 and <= 9)
                {
                    return c;
                }

                if (FindNormalClass(property.Value) is { } nested)
                {
                    return nested;
                }
            }
        }

        return null;
    }
}
