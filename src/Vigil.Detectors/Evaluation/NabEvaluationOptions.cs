using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

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

    /// <summary>Stream scoring for every kind; null = <see cref="ScoringByKind"/>, else what each kind ships with
    /// (<see cref="StreamScoreOptions.For"/>).</summary>
    public StreamScoreOptions? Scoring { get; init; }

    /// <summary>Stream scoring per kind (e.g. what <c>--select</c> chose); kinds not listed use what they ship with.</summary>
    public IReadOnlyDictionary<string, StreamScoreOptions> ScoringByKind { get; init; } = new Dictionary<string, StreamScoreOptions>();

    /// <summary>Per kind: score the raw error over this many newest readings instead of the bundle's own setting.</summary>
    public IReadOnlyDictionary<string, int> ScoredStepsByKind { get; init; } = new Dictionary<string, int>();

    /// <summary>How the ensemble combines its detectors' stream scores.</summary>
    public EnsembleRule EnsembleRule { get; init; } = EnsembleScore.Default;

    public static readonly IReadOnlyList<string> Detectors = [DetectorKinds.LstmDcnn, DetectorKinds.Autoencoder, DetectorKinds.Ensemble];

    public StreamScoreOptions ScoringFor(string kind) =>
        Scoring ?? (ScoringByKind.TryGetValue(kind, out var chosen) ? chosen : StreamScoreOptions.For(kind));

    public void Validate()
    {
        if (!Detectors.Contains(Detector))
            throw new ArgumentException($"unknown detector '{Detector}': expected {string.Join(", ", Detectors)}.");
    }
}
