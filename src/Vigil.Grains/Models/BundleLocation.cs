namespace Vigil.Grains.Models;

/// <summary>A published bundle: its kind, its version (ordinal order = publication order) and its folder.</summary>
public sealed record BundleLocation(string Kind, string Version, string Directory);
