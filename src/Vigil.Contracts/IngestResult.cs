namespace Vigil.Contracts;

/// <summary>
/// What a device grain did with a batch, decided reading by reading in order:
/// <list type="bullet">
/// <item>newer than the last stored reading → <see cref="Accepted"/>;</item>
/// <item>same timestamp and same values as a reading still in the window → <see cref="Duplicates"/> (ignored: a retried request is idempotent);</item>
/// <item>older than the last stored reading by at most the reorder tolerance → <see cref="Late"/> (ignored: the window it belongs to was already scored);</item>
/// <item>same timestamp with different values, older beyond the tolerance, NaN/∞, wrong channel count → <see cref="Rejections"/>.</item>
/// </list>
/// Any rejection makes the whole batch unapplied (<see cref="Applied"/> false, <see cref="Accepted"/> 0).
/// When <see cref="Applied"/> is true the readings were written to grain storage before this result was returned.
/// </summary>
[GenerateSerializer, Immutable, Alias("vigil.ingest-result")]
public sealed record IngestResult(
    [property: Id(0)] bool Applied,
    [property: Id(1)] int Accepted,
    [property: Id(2)] int Duplicates,
    [property: Id(3)] int Late,
    [property: Id(4)] ReadingRejection[] Rejections,
    [property: Id(5)] ScorePoint[] NewScores,
    [property: Id(6)] AlertRecord? OpenAlert);
