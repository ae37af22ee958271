using Vigil.Detectors.Bundles;
using Vigil.Detectors.Evaluation;
using Vigil.Detectors.Evaluation.Selection;
using Vigil.Detectors.Series;
using Vigil.Detectors.Tests.Nab;

namespace Vigil.Detectors.Tests.Series;

/// <summary>The label-free selection runs with no NAB label file present, compares the whole grid and keeps its best.</summary>
[Collection(TrainedBundlesCollection.Name)]
public sealed class NabSettingsSelectionTests(TrainedBundles bundles)
{
    [Fact]
    public void Chooses_the_best_synthetic_setting_per_detector_and_an_ensemble_rule_without_any_label_file()
    {
        using var nab = new TempNabFolder();
        Directory.CreateDirectory(Path.GetDirectoryName(nab.DataPath("a/one.csv"))!);
        Directory.CreateDirectory(Path.GetDirectoryName(nab.DataPath("b/two.csv"))!);
        SyntheticSeries.WriteCsv(nab.DataPath("a/one.csv"), SyntheticSeries.Normal(1_600, seed: 21));
        SyntheticSeries.WriteCsv(nab.DataPath("b/two.csv"), SyntheticSeries.Normal(2_000, seed: 22));
        if (File.Exists(nab.WindowsPath)) File.Delete(nab.WindowsPath);

        var options = new NabEvaluationOptions
        {
            ModelsPath = Path.GetDirectoryName(bundles.Directories[DetectorKinds.Autoencoder])!,
            Device = "cpu",
        };
        var selection = NabSettingsSelection.Run(nab.Root, options, [DetectorKinds.LstmDcnn, DetectorKinds.Autoencoder]);

        var grid = StreamScoreGrid.Candidates().Count;
        Assert.Equal(grid, selection.Candidates.Count(c => c.Candidate.Kind == DetectorKinds.LstmDcnn));
        Assert.Equal(2 * grid, selection.Candidates.Count(c => c.Candidate.Kind == DetectorKinds.Autoencoder));
        foreach (var kind in new[] { DetectorKinds.LstmDcnn, DetectorKinds.Autoencoder })
        {
            var best = selection.Candidates.Where(c => c.Candidate.Kind == kind).Max(c => c.Standard);
            Assert.Equal(best, selection.Chosen[kind].Standard);
            // The detectors were trained on this very kind of signal: injected anomalies must beat never detecting.
            Assert.True(selection.Chosen[kind].Standard > 0, $"{kind}: synthetic standard {selection.Chosen[kind].Standard:F1}");
        }
        Assert.Equal(3, selection.EnsembleRules.Count);
        Assert.Equal(selection.EnsembleRules.MaxBy(r => r.Standard)!.Rule, selection.ChosenEnsembleRule);
        Assert.Contains(selection.Recall, r => r.Detected > 0);

        var applied = selection.Apply(options with { Detector = DetectorKinds.Ensemble });
        Assert.Equal(selection.Chosen[DetectorKinds.Autoencoder].Candidate.Scoring, applied.ScoringFor(DetectorKinds.Autoencoder));
        Assert.Equal(selection.ChosenEnsembleRule, applied.EnsembleRule);
    }
}
