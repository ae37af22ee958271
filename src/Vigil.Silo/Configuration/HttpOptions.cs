namespace Vigil.Silo.Configuration;

/// <summary><c>Vigil:Http</c>: where the API listens and how much it accepts.</summary>
public sealed class HttpOptions
{
    public const string Section = "Vigil:Http";

    /// <summary>Semicolon-separated listen URLs.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>JSON readings body limit: 1 MiB is about 20,000 readings, far above what one device sends at once.</summary>
    public long MaxReadingsBodyBytes { get; set; } = 1L << 20;

    /// <summary>NDJSON bulk body limit.</summary>
    public long MaxBulkBodyBytes { get; set; } = 8L << 20;

    /// <summary>Lines per NDJSON request; the whole request is validated in memory before anything is applied.</summary>
    public int MaxBulkLines { get; set; } = 50_000;

    /// <summary>Encoded camera frame limit. Decoded sizes are bounded by <c>Vigil:Frames</c> (checked against the
    /// image header before any pixel is decoded).</summary>
    public long MaxFrameBodyBytes { get; set; } = 4L << 20;

    /// <summary>Whole-request limit; a slow body is cut off by Kestrel's minimum data rate before this.</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;
}
