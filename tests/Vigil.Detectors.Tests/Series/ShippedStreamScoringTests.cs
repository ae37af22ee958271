using System.Text.Json;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Detectors.Tests.Series;

/// <summary>
/// Plain <c>vigil evaluate nab</c> and the device grains score with the settings shipped in code; those must be what
/// the label-free selection recorded in the shipped bundles (<c>--select --record</c>), or the README's table is not
/// what the product does.
/// </summary>
public sealed class ShippedStreamScoringTests
{
    [Theory]
    [InlineData(DetectorKinds.Autoencoder)]
    [InlineData(DetectorKinds.LstmDcnn)]
    public void The_stream_scoring_in_code_is_what_the_selection_recorded_in_the_shipped_bundle(string kind)
    {
        var hyperparameters = Manifest(kind).GetProperty("hyperparameters");

        var recorded = hyperparameters.GetProperty("streamScore").Deserialize<StreamScoreOptions>();

        Assert.Equal(recorded, StreamScoreOptions.For(kind));
        var rule = hyperparameters.GetProperty("streamScoreSelection").GetProperty("ensembleRule");
        if (rule.ValueKind == JsonValueKind.String)
            Assert.Equal(EnsembleScore.Default, Enum.Parse<EnsembleRule>(rule.GetString()!));
    }

    private static JsonElement Manifest(string kind)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestRepo.Root, "models", kind, ModelBundle.ManifestFile)));
        return document.RootElement.Clone();
    }
}
