namespace Vigil.Contracts;

/// <summary>
/// Readings of one device in timestamp order. A batch is applied whole or not at all: if any reading is rejected
/// (see <see cref="IngestResult"/>), nothing of the batch is stored.
/// </summary>
[GenerateSerializer, Immutable, Alias("vigil.reading-batch")]
public sealed record ReadingBatch([property: Id(0)] Reading[] Readings);
