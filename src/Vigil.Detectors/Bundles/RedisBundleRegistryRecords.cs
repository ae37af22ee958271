namespace Vigil.Detectors.Bundles;

/// <summary>One version in the registry, as listed (without its weights).</summary>
public sealed record PublishedBundle(
    string Kind,
    string Version,
    DateTimeOffset Created,
    DateTimeOffset Published,
    string WeightsFile,
    string WeightsSha256,
    long WeightsBytes);

/// <summary>What a publish did: stored the bundle, or found exactly these bytes already stored under its version.</summary>
public sealed record PublishOutcome(PublishedBundle Bundle, bool AlreadyPublished);
