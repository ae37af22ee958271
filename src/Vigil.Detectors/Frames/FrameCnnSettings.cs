using System.Text.Json;
using Vigil.Detectors.Bundles;

namespace Vigil.Detectors.Frames;

/// <summary>
/// Everything that shapes a frame-cnn detector: segmentation (tile grid, overlap), scaling (input size), network
/// width, objective and training settings. Stored in the bundle manifest's hyperparameters so scoring uses
/// exactly what training used.
/// </summary>
public sealed record FrameCnnSettings
{
    public const string GeometricObjective = "geometric";
    public const string SupervisedObjective = "supervised";

    public int TileRows { get; init; } = 4;
    public int TileCols { get; init; } = 4;

    /// <summary>Share of a tile it shares with its neighbour, [0, 0.9).</summary>
    public double Overlap { get; init; }

    /// <summary>Network input side in pixels; every tile is scaled to InputSize × InputSize.</summary>
    public int InputSize { get; init; } = 28;

    /// <summary>Channels of the first conv stage (then ×2, ×4).</summary>
    public int Width { get; init; } = 8;

    /// <summary><c>geometric</c> (one-class, normal tiles only) or <c>supervised</c> (normal and anomalous tiles).</summary>
    public string Objective { get; init; } = GeometricObjective;

    /// <summary>Geometric transformation set (see <see cref="GeometricTransformSet"/>).</summary>
    public string Transforms { get; init; } = "rot,cross";

    /// <summary>
    /// Which transformations scoring averages over: <c>rotations</c> (the four unshifted, unflipped rotations; measured
    /// on Fashion-MNIST at 93.2 mean AUROC against 93.4 for all 20 of <c>rot,cross</c>, for a fifth of the cost),
    /// <c>upright-inverted</c> (0° and 180° only: half the passes of <c>rotations</c>) or <c>all</c>.
    /// </summary>
    public string Scoring { get; init; } = "rotations";

    /// <summary>Shift of the <c>shift</c> transformations as a share of the input size.</summary>
    public double ShiftFraction { get; init; } = 0.25;

    /// <summary>
    /// Feature-space signal added to the geometric score (one-class only): <c>none</c>, or <c>hidden</c> = squared
    /// Mahalanobis distance of the tile's hidden-layer embedding to the normal training tiles' (see
    /// <see cref="FeatureDensity"/>); the tile's raw value is then z(geometric) + z(distance). Absent in bundles made
    /// before it existed, hence the default <c>none</c>; the commands train with <c>hidden</c>.
    /// </summary>
    public string Features { get; init; } = NoFeatures;

    public const string NoFeatures = "none";
    public const string HiddenFeatures = "hidden";

    /// <summary>
    /// kNN features (one-class only): <c>knn</c> = mean squared distance of the tile's hidden embedding to its
    /// <see cref="Neighbours"/> nearest normal training embeddings (<see cref="FeatureMemory"/>); <c>-ms</c> adds the
    /// spatial means of the second and third conv stages (multi-scale); <c>-tta</c> concatenates the embeddings of
    /// every scoring transformation (test-time transformations); <c>-only</c> leaves the geometric surprise out;
    /// <c>px</c> compares the tile's own pixels (2×2-averaged) instead of the network's features, <c>sil</c> its
    /// silhouette (pixels above 5 % grey, 2×2-averaged: shape without print or brightness);
    /// <c>-max</c> takes the larger of the two z-scores instead of their sum (each signal catches its own kinds of
    /// anomaly: the surprise a turned tile, the distance a covered one, and a sum halves a lone signal).
    /// </summary>
    public static readonly string[] KnnFeatures =
        (from ms in new[] { "", "-ms" }
         from tta in new[] { "", "-tta" }
         from mode in new[] { "", "-only", "-max" }
         select $"knn{ms}{tta}{mode}").Concat(["px", "px-only", "px-max", "sil", "sil-max"]).ToArray();

    /// <summary>Does the network carry a <see cref="FeatureDensity"/>?</summary>
    public bool UsesDensity => Objective == GeometricObjective && Features == HiddenFeatures;

    /// <summary>Does the network carry a <see cref="FeatureMemory"/>?</summary>
    public bool UsesMemory => Objective == GeometricObjective && KnnFeatures.Contains(Features);

    /// <summary>kNN over multi-scale features (hidden + stage means)?</summary>
    public bool MemoryMultiScale => UsesMemory && Features.Contains("-ms", StringComparison.Ordinal);

    /// <summary>kNN over the embeddings of every scoring transformation?</summary>
    public bool MemoryAllTransforms => UsesMemory && Features.Contains("-tta", StringComparison.Ordinal);

    /// <summary>Is the kNN distance the whole score (no geometric surprise)?</summary>
    public bool MemoryAlone => UsesMemory && Features.EndsWith("-only", StringComparison.Ordinal);

    /// <summary>Are the surprise and kNN z-scores combined by their maximum (rather than their sum)?</summary>
    public bool MemoryMax => UsesMemory && Features.EndsWith("-max", StringComparison.Ordinal);

    /// <summary>Does the memory compare pixels (2×2-averaged) rather than network features?</summary>
    public bool MemoryPixels => UsesMemory && (Features.StartsWith("px", StringComparison.Ordinal) || MemorySilhouette);

    /// <summary>Does the memory compare silhouettes (pixels above 5 % grey)?</summary>
    public bool MemorySilhouette => UsesMemory && Features.StartsWith("sil", StringComparison.Ordinal);

    /// <summary>Values per tile the memory compares.</summary>
    public int MemoryDimensions => MemoryPixels ? InputSize / 2 * (InputSize / 2) : UsesMemory
        ? (4 * Width + (MemoryMultiScale ? 6 * Width : 0)) * (MemoryAllTransforms ? ScoringTransformIndices().Length : 1)
        : 0;

    /// <summary>Rows of the memory bank: at most this many normal training tiles (evenly spaced); set to the count used by training.</summary>
    public int MemoryRows { get; init; } = 4096;

    /// <summary>Nearest neighbours whose distances the kNN score averages (2, as deep nearest-neighbour detection uses).</summary>
    public int Neighbours { get; init; } = 2;

    /// <summary>How tile scores become the frame score; <c>max</c> (the most anomalous tile decides).</summary>
    public string Aggregate { get; init; } = "max";

    /// <summary>The IDX class trained as normal, when trained from IDX (so simulators can draw normal frames).</summary>
    public int? NormalClass { get; init; }

    public int Epochs { get; init; } = 1;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public int Seed { get; init; } = 1;

    public TileGrid Grid => new(TileRows, TileCols, Overlap);

    public IReadOnlyList<GeometricTransform> CreateTransforms() => GeometricTransformSet.Create(Transforms, InputSize, ShiftFraction);

    /// <summary>Indices (into <see cref="CreateTransforms"/>) of the transformations scoring uses.</summary>
    public int[] ScoringTransformIndices()
    {
        var all = CreateTransforms();
        if (Scoring == "all") return Enumerable.Range(0, all.Count).ToArray();
        var rotations = Enumerable.Range(0, all.Count)
            .Where(i => all[i] is { Flip: false, ShiftX: 0, ShiftY: 0 } && (Scoring == "rotations" || all[i].QuarterTurns % 2 == 0)).ToArray();
        if (rotations.Length < 2)
            throw new ArgumentException($"scoring 'rotations' needs 'rot' in the transformation set '{Transforms}'");
        return rotations;
    }

    /// <summary>Logits the network has: one per transformation, or normal/anomalous.</summary>
    public int Outputs => Objective == SupervisedObjective ? 2 : CreateTransforms().Count;

    /// <summary>Throws <see cref="ArgumentException"/> naming every bad setting.</summary>
    public FrameCnnSettings Validate()
    {
        var problems = new List<string>();
        try { _ = Grid; } catch (ArgumentException e) { problems.Add(e.Message); }
        if (InputSize is < 8 or > 256) problems.Add($"input size must be 8..256 (is {InputSize})");
        if (Width is < 1 or > 256) problems.Add($"width must be 1..256 (is {Width})");
        if (Objective is not (GeometricObjective or SupervisedObjective)) problems.Add($"objective must be geometric or supervised (is '{Objective}')");
        if (Aggregate != "max") problems.Add($"aggregate must be max (is '{Aggregate}')");
        if (Features is not (NoFeatures or HiddenFeatures) && !KnnFeatures.Contains(Features))
            problems.Add($"features must be none, hidden or one of {string.Join(", ", KnnFeatures)} (is '{Features}')");
        if (MemoryRows is < 1 or > 65536) problems.Add($"memory rows must be 1..65536 (is {MemoryRows})");
        if (Neighbours < 1 || Neighbours > MemoryRows) problems.Add($"neighbours must be 1..memory rows (is {Neighbours})");
        if (Scoring is not ("rotations" or "upright-inverted" or "all")) problems.Add($"scoring must be rotations, upright-inverted or all (is '{Scoring}')");
        if (Objective == GeometricObjective)
            try { _ = ScoringTransformIndices(); } catch (ArgumentException e) { problems.Add(e.Message); }
        if (Epochs < 1) problems.Add($"epochs must be ≥ 1 (is {Epochs})");
        if (BatchSize < 1) problems.Add($"batch size must be ≥ 1 (is {BatchSize})");
        if (!(LearningRate > 0)) problems.Add($"learning rate must be > 0 (is {LearningRate})");
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        return this;
    }

    public Dictionary<string, JsonElement> ToHyperparameters()
    {
        var element = JsonSerializer.SerializeToElement(this, BundleJson);
        return element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    /// <summary>Reads the settings back from a manifest; a missing or bad key is a <see cref="BundleException"/>.</summary>
    public static FrameCnnSettings FromHyperparameters(IReadOnlyDictionary<string, JsonElement> hyperparameters, string manifestPath)
    {
        string[] required = ["tileRows", "tileCols", "inputSize", "width", "objective", "transforms", "shiftFraction", "scoring"];
        var missing = required.Where(k => !hyperparameters.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
            throw new BundleException($"'{manifestPath}' lacks frame-cnn hyperparameters: {string.Join(", ", missing)}.");
        try
        {
            var json = JsonSerializer.Serialize(hyperparameters, BundleJson);
            var settings = JsonSerializer.Deserialize<FrameCnnSettings>(json, BundleJson)
                           ?? throw new BundleException($"'{manifestPath}': empty frame-cnn hyperparameters.");
            return settings.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new BundleException($"'{manifestPath}': bad frame-cnn hyperparameters: {e.Message}", e);
        }
    }

    private static readonly JsonSerializerOptions BundleJson = new(JsonSerializerDefaults.Web);
}
