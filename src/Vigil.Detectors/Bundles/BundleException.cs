namespace Vigil.Detectors.Bundles;

/// <summary>A bundle that cannot be used as it is; the message names the file and what is wrong.</summary>
public sealed class BundleException(string message, Exception? inner = null) : Exception(message, inner);
