namespace Vigil.Contracts;

/// <summary>The bundle a model grain hosts, as callers need it to build inputs and read outputs.</summary>
/// <param name="InputLength">Readings per channel one series item needs (window + horizon for a forecaster).</param>
/// <param name="NormalisationMode"><c>stream</c>, <c>window</c>, <c>fixed</c> or <c>unit</c> (see BundleManifest).</param>
/// <param name="ThresholdRaw">The bundle's generic threshold on the raw error (where device thresholds start).</param>
/// <param name="ThresholdScore">The same on the [0, 1] score scale.</param>
/// <param name="FixedMean">Per-channel mean for <c>fixed</c> normalisation (null otherwise); likewise <paramref name="FixedStd"/>.</param>
[GenerateSerializer, Immutable, Alias("vigil.model-info")]
public sealed record ModelInfo(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Version,
    [property: Id(2)] int Window,
    [property: Id(3)] int Horizon,
    [property: Id(4)] int InputLength,
    [property: Id(5)] int Channels,
    [property: Id(6)] string NormalisationMode,
    [property: Id(7)] float ThresholdRaw,
    [property: Id(8)] float ThresholdScore,
    [property: Id(9)] string ThresholdRule,
    [property: Id(10)] float[]? FixedMean = null,
    [property: Id(11)] float[]? FixedStd = null);
