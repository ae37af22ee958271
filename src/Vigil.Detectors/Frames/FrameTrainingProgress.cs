namespace Vigil.Detectors.Frames;

/// <summary>One epoch done: mean training loss and how long it took.</summary>
public readonly record struct FrameTrainingProgress(int Epoch, int Epochs, double Loss, TimeSpan Elapsed);
