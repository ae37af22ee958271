using System.ComponentModel.DataAnnotations;

namespace Vigil.Telemetry;

/// <summary>Section <c>Vigil:Telemetry</c>. Exporter endpoints come from the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Vigil:Telemetry";

    /// <summary>Share of traces recorded at the root (0..1); a busy cluster does not trace every reading. Metrics are always on.</summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 0.01;

    /// <summary>Extra resource attribute: whether this silo hosts model grains.</summary>
    public bool Accelerator { get; set; }
}
