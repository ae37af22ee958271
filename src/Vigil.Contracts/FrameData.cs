namespace Vigil.Contracts;

/// <summary>
/// One camera frame as 8-bit grey pixels, row-major (<paramref name="Width"/> × <paramref name="Height"/> bytes).
/// The HTTP API decodes PNG/JPEG into this form, so grains and detectors see one format.
/// </summary>
[GenerateSerializer, Immutable, Alias("vigil.frame-data")]
public sealed record FrameData(
    [property: Id(0)] DateTimeOffset T,
    [property: Id(1)] int Width,
    [property: Id(2)] int Height,
    [property: Id(3)] byte[] Grey);
