namespace Vigil.Contracts;

/// <summary>
/// One window for a series model: <c>InputLength × Channels</c> values, time-major (all channels of step 0, then
/// step 1, ...), already normalised as <see cref="ModelInfo.NormalisationMode"/> says.
/// </summary>
[GenerateSerializer, Immutable, Alias("vigil.series-score-request")]
public sealed record SeriesScoreRequest([property: Id(0)] string Stream, [property: Id(1)] float[] Inputs);
