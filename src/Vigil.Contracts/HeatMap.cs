namespace Vigil.Contracts;

/// <summary>Per-tile anomaly scores of a frame, row-major (<paramref name="TilesX"/> × <paramref name="TilesY"/>).</summary>
[GenerateSerializer, Immutable, Alias("vigil.heat-map")]
public sealed record HeatMap([property: Id(0)] int TilesX, [property: Id(1)] int TilesY, [property: Id(2)] float[] Tiles);
