using Vigil.Contracts;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Vigil.Grains.Placement;

/// <summary>
/// Keeps the silos whose published metadata marks an accelerator. A silo whose metadata has not reached this
/// silo's cache yet counts as not an accelerator, so a model grain never lands on a CPU-only silo by accident.
/// When no candidate is left the placement fails with Orleans' "no compatible silo" error, which is the truth.
/// </summary>
internal sealed class AcceleratorPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos) =>
        silos.Where(IsAccelerator);

    private bool IsAccelerator(SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Accelerator, out var value)
        && string.Equals(value, SiloMetadataKeys.True, StringComparison.OrdinalIgnoreCase);
}
