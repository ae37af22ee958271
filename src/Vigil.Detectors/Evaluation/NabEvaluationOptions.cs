using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Evaluation;

/// <summary>How <see cref="NabEvaluation"/> runs a detector over the NAB corpus.</summary>
public sealed record NabEvaluationOptions
{
    /// <summary><c>lstm-dcnn</c>, <c>autoencoder</c> or <c>ensemble</c> (both, combined per stream).</summary>
    public string Detector { get; init; } = DetectorKinds.Autoencoder;

    /// <summary>Folder holding one bundle folder per kind (<c>models/lstm-dcnn</c>, <c>models/autoencoder</c>).</summary>
    public string ModelsPath { get; init; } = "models";

    public string Device { get; init; } = "cpu";

    /// <summary>Fine-tune a copy of the generic model on each file's probationary rows (NAB lets a detector learn there).</summary>
    public bool FineTune { get; init; } = true;

    /// <summary>Stream scoring per detector kind; null = what each kind ships with (<see cref="StreamScoreOptions.For"/>).</summary>
    public StreamScoreOptions? Scoring { get; init; }

    public static readonly IReadOnlyList<string> Detectors = [DetectorKinds.LstmDcnn, DetectorKinds.Autoencoder, DetectorKinds.Ensemble];

    public void Validate()
    {
        if (!Detectors.Contains(Detector))
            throw new ArgumentException($"unknown detector '{Detector}': expected {string.Join(", ", Detectors)}.");
    }
}
