using Orleans.Placement;

namespace Vigil.Grains.Placement;

/// <summary>Marker strategy of <see cref="AcceleratorPlacementFilterAttribute"/>; the director does the work.</summary>
public sealed class AcceleratorPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);
