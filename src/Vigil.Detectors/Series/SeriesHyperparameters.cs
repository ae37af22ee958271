using System.Text.Json;

namespace Vigil.Detectors.Series;

/// <summary>
/// Everything needed to rebuild a time-series network exactly: stored in the bundle manifest's
/// <c>hyperparameters</c> so a loader never guesses a shape.
/// </summary>
public sealed record SeriesHyperparameters
{
    /// <summary>Readings of history per window.</summary>
    public int Window { get; init; } = 60;

    /// <summary>Readings forecast after the window (forecaster); 0 for the autoencoder.</summary>
    public int Horizon { get; init; } = 1;

    public int Channels { get; init; } = 1;

    /// <summary>LSTM hidden size (lstm-dcnn).</summary>
    public int LstmHidden { get; init; } = 32;

    /// <summary>Filters of each dilated convolution (lstm-dcnn) or of the first encoder layer (autoencoder).</summary>
    public int ConvFilters { get; init; } = 32;

    /// <summary>Dilations of the DCNN stack; kernel 3 each, so the receptive field is 1 + 2·Σ dilations.</summary>
    public int[] Dilations { get; init; } = [1, 2, 4, 8];

    /// <summary>Width of the merged head (lstm-dcnn) or bottleneck channels (autoencoder).</summary>
    public int HeadWidth { get; init; } = 64;

    public int Seed { get; init; } = 17;

    /// <summary>Autoencoder only: the raw error is the MAE over this many newest readings of the window (0 = all).
    /// A new anomaly is 1 reading of 60 in a whole-window MAE; over the newest readings it shows at once.</summary>
    public int ScoredSteps { get; init; }

    /// <summary>Autoencoder only: <c>conv</c> (<see cref="ConvAutoencoderNetwork"/>, the default) or <c>lstm</c>
    /// (<see cref="LstmAutoencoderNetwork"/>, <see cref="LstmHidden"/> units).</summary>
    public string Architecture { get; init; } = ConvArchitecture;

    public const string ConvArchitecture = "conv";
    public const string LstmArchitecture = "lstm";

    public Dictionary<string, JsonElement> ToManifest() => new()
    {
        ["window"] = JsonSerializer.SerializeToElement(Window),
        ["horizon"] = JsonSerializer.SerializeToElement(Horizon),
        ["channels"] = JsonSerializer.SerializeToElement(Channels),
        ["lstmHidden"] = JsonSerializer.SerializeToElement(LstmHidden),
        ["convFilters"] = JsonSerializer.SerializeToElement(ConvFilters),
        ["dilations"] = JsonSerializer.SerializeToElement(Dilations),
        ["headWidth"] = JsonSerializer.SerializeToElement(HeadWidth),
        ["seed"] = JsonSerializer.SerializeToElement(Seed),
        ["scoredSteps"] = JsonSerializer.SerializeToElement(ScoredSteps),
        ["architecture"] = JsonSerializer.SerializeToElement(Architecture),
    };

    /// <summary>Reads the manifest's values; a missing or malformed entry is a <see cref="FormatException"/> naming it.</summary>
    public static SeriesHyperparameters FromManifest(IReadOnlyDictionary<string, JsonElement> values) => new()
    {
        Window = Read<int>(values, "window"),
        Horizon = Read<int>(values, "horizon"),
        Channels = Read<int>(values, "channels"),
        LstmHidden = Read<int>(values, "lstmHidden"),
        ConvFilters = Read<int>(values, "convFilters"),
        Dilations = Read<int[]>(values, "dilations"),
        HeadWidth = Read<int>(values, "headWidth"),
        Seed = Read<int>(values, "seed"),
        ScoredSteps = values.ContainsKey("scoredSteps") ? Read<int>(values, "scoredSteps") : 0,
        // Bundles from before the LSTM variant existed are convolutional.
        Architecture = values.ContainsKey("architecture") ? Read<string>(values, "architecture") : ConvArchitecture,
    };

    private static T Read<T>(IReadOnlyDictionary<string, JsonElement> values, string name)
    {
        if (!values.TryGetValue(name, out var element))
            throw new FormatException($"hyperparameter '{name}' is missing");
        try
        {
            return element.Deserialize<T>() ?? throw new FormatException($"hyperparameter '{name}' is null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"hyperparameter '{name}' is not a {typeof(T).Name}: {e.Message}", e);
        }
    }

    /// <summary>Shape checks shared by training and loading.</summary>
    public void Validate(string kind)
    {
        if (Window < 4) throw new ArgumentException($"window must be at least 4 readings, not {Window}.");
        if (Channels < 1) throw new ArgumentException($"channels must be at least 1, not {Channels}.");
        if (kind == Bundles.DetectorKinds.LstmDcnn && Horizon < 1)
            throw new ArgumentException($"lstm-dcnn forecasts at least 1 reading ahead (horizon {Horizon}).");
        if (kind == Bundles.DetectorKinds.Autoencoder && Horizon != 0)
            throw new ArgumentException($"the autoencoder reconstructs its window; horizon must be 0, not {Horizon}.");
        if (Architecture is not (ConvArchitecture or LstmArchitecture))
            throw new ArgumentException($"architecture must be '{ConvArchitecture}' or '{LstmArchitecture}', not '{Architecture}'.");
        if (kind == Bundles.DetectorKinds.LstmDcnn && Architecture != ConvArchitecture)
            throw new ArgumentException($"the architecture choice is the autoencoder's; lstm-dcnn is always LSTM + dilated CNN.");
        if (ScoredSteps < 0 || ScoredSteps > Window)
            throw new ArgumentException($"scored steps must be between 0 (all) and the window ({Window}), not {ScoredSteps}.");
        if (LstmHidden < 1 || ConvFilters < 1 || HeadWidth < 1 || Dilations.Length == 0 || Dilations.Any(d => d < 1))
            throw new ArgumentException("network sizes and dilations must be positive.");
    }
}
