namespace Vigil.Contracts;

/// <summary>The raw error of one window, with the batch it rode in (for telemetry and the batching tests).</summary>
[GenerateSerializer, Immutable, Alias("vigil.series-score-result")]
public sealed record SeriesScoreResult(
    [property: Id(0)] float RawError,
    [property: Id(1)] string Version,
    [property: Id(2)] int BatchSize,
    [property: Id(3)] TimeSpan QueueWait);
