using Vigil.Contracts;
using Orleans.Placement;

namespace Vigil.Grains.Placement;

/// <summary>
/// Restricts a grain class to silos whose metadata says <see cref="SiloMetadataKeys.Accelerator"/> = true.
/// (Orleans' built-in metadata filters compare with the <em>calling</em> silo's metadata, which would place a
/// model grain beside whichever device grain called first; we need an absolute requirement instead.)
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AcceleratorPlacementFilterAttribute() : PlacementFilterAttribute(new AcceleratorPlacementFilterStrategy());
