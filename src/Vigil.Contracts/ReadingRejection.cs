namespace Vigil.Contracts;

/// <summary>Why reading <paramref name="Index"/> of a batch was rejected, in words fit for a 400 answer.</summary>
[GenerateSerializer, Immutable, Alias("vigil.reading-rejection")]
public sealed record ReadingRejection([property: Id(0)] int Index, [property: Id(1)] DateTimeOffset T, [property: Id(2)] string Reason);
