namespace Vigil.Contracts;

/// <summary>One timestamped reading of a device: one value per channel (a thermometer has one, a power meter three).</summary>
[GenerateSerializer, Immutable, Alias("vigil.reading")]
public sealed record Reading([property: Id(0)] DateTimeOffset T, [property: Id(1)] float[] V);
