namespace Vigil.Detectors.Frames;

/// <summary>A frame that cannot be scored as given (undecodable, wrong or zero size, over the limits); the message says which.</summary>
public sealed class FrameFormatException(string message, Exception? inner = null) : Exception(message, inner);
