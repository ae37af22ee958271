namespace Vigil.Grains;

/// <summary>The grain storage every Vigil grain persists to; the host registers it (Redis in cluster mode, memory embedded).</summary>
public static class GrainStorage
{
    public const string Name = "vigil";
}
