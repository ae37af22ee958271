using System.Text.Json;

namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>A NAB cost matrix: the weight of a detected window (TP), a missed window (FN) and a false alarm (FP).</summary>
public sealed record NabCostMatrix(double TpWeight, double FpWeight, double FnWeight, double TnWeight);

/// <summary>One NAB application profile (<c>standard</c>, <c>reward_low_FP_rate</c>, <c>reward_low_FN_rate</c>).</summary>
public sealed record NabProfile(string Name, NabCostMatrix CostMatrix);

/// <summary>The scoring profiles of <c>profiles.json</c>, in the file's order.</summary>
public sealed class NabProfiles
{
    public const string FileName = "profiles.json";

    /// <summary>The three profiles NAB publishes, in the order Vigil prints them.</summary>
    public static readonly IReadOnlyList<string> PublishedNames = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"];

    public NabProfiles(IEnumerable<NabProfile> profiles)
    {
        All = profiles.ToArray();
        if (All.Count == 0)
            throw new ArgumentException("At least one profile is needed.", nameof(profiles));
        if (All.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != All.Count)
            throw new ArgumentException("Profile names must be distinct.", nameof(profiles));
    }

    public IReadOnlyList<NabProfile> All { get; }

    public NabProfile this[string name] =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"No NAB profile named '{name}'.");

    /// <summary>Loads <c>profiles.json</c> from a NAB folder.</summary>
    public static NabProfiles Load(string nabRoot) => LoadFile(Path.Combine(nabRoot, FileName));

    public static NabProfiles LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new NabDataException(path, null, "file not found.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new NabDataException(path, (int)(e.LineNumber ?? 0) + 1, $"not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new NabDataException(path, 1, "the file must be one JSON object of profiles.");
            var profiles = new List<NabProfile>();
            foreach (var profile in document.RootElement.EnumerateObject())
            {
                if (profile.Value.ValueKind != JsonValueKind.Object ||
                    !profile.Value.TryGetProperty("CostMatrix", out var matrix) || matrix.ValueKind != JsonValueKind.Object)
                    throw new NabDataException(path, null, $"profile '{profile.Name}' has no CostMatrix object.");
                profiles.Add(new NabProfile(profile.Name, new NabCostMatrix(
                    Weight(matrix, "tpWeight", profile.Name, path),
                    Weight(matrix, "fpWeight", profile.Name, path),
                    Weight(matrix, "fnWeight", profile.Name, path),
                    matrix.TryGetProperty("tnWeight", out _) ? Weight(matrix, "tnWeight", profile.Name, path) : 0)));
            }

            if (profiles.Count == 0)
                throw new NabDataException(path, null, "no profiles.");
            return new NabProfiles(profiles);
        }
    }

    private static double Weight(JsonElement matrix, string name, string profile, string path)
    {
        if (!matrix.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
            throw new NabDataException(path, null, $"profile '{profile}' needs a numeric CostMatrix.{name}.");
        var weight = value.GetDouble();
        if (!double.IsFinite(weight) || weight < 0)
            throw new NabDataException(path, null, $"profile '{profile}': CostMatrix.{name} must be a finite number >= 0.");
        return weight;
    }
}
