using Vigil.Detectors.Bundles;
using Vigil.Detectors.Runtime;
using static TorchSharp.torch;

namespace Vigil.Detectors.Frames;

/// <summary>Writes and reads frame-cnn bundles (manifest hyperparameters = <see cref="FrameCnnSettings"/>).</summary>
public static class FrameCnnBundle
{
    private const string CalibrationScaleKey = "calibrationScale";

    public static BundleManifest Save(string directory, FrameCnnNetwork network, FrameCnnSettings settings, ScoreCalibration calibration,
        string trainingFingerprint, IReadOnlyDictionary<string, double>? evaluation = null)
    {
        var hyper = settings.ToHyperparameters();
        hyper[CalibrationScaleKey] = System.Text.Json.JsonSerializer.SerializeToElement(calibration.Scale);
        var now = DateTimeOffset.UtcNow;
        var manifest = new BundleManifest
        {
            Kind = DetectorKinds.FrameCnn,
            Version = ModelBundle.NewVersion(now),
            Created = now,
            Window = settings.InputSize,
            Channels = 1,
            Normalisation = new NormalisationSpec("unit"),
            Threshold = new ThresholdSpec(calibration.Threshold, calibration.Score(calibration.Threshold), calibration.Rule),
            TrainingFingerprint = trainingFingerprint,
            Hyperparameters = hyper,
            Evaluation = evaluation?.ToDictionary() ?? [],
            WeightsSha256 = "",
        };
        return ModelBundle.Save(directory, manifest, path => network.save(path));
    }

    /// <summary>Opens and verifies a bundle and returns its trained network (with its settings), for refitting heads.</summary>
    public static (FrameCnnNetwork Network, FrameCnnSettings Settings) LoadNetwork(string directory)
    {
        var (manifest, weightsPath) = ModelBundle.Open(directory, DetectorKinds.FrameCnn);
        var settings = FrameCnnSettings.FromHyperparameters(manifest.Hyperparameters, Path.Combine(directory, ModelBundle.ManifestFile));
        TorchRuntime.EnsureInitialised();
        var network = LoadWeights(settings, weightsPath);
        network.eval();
        return (network, settings);
    }

    /// <summary>Opens and verifies a bundle and rebuilds its detector on <paramref name="device"/> (cpu|cuda|auto).</summary>
    public static FrameCnnDetector Load(string directory, string device = "auto", FrameLimits? limits = null)
    {
        var (manifest, weightsPath) = ModelBundle.Open(directory, DetectorKinds.FrameCnn);
        var manifestPath = Path.Combine(directory, ModelBundle.ManifestFile);
        var settings = FrameCnnSettings.FromHyperparameters(manifest.Hyperparameters, manifestPath);
        if (manifest.Window != settings.InputSize || manifest.Channels != 1)
            throw new BundleException($"'{manifestPath}': window {manifest.Window} / channels {manifest.Channels} disagree with input size {settings.InputSize} (grey).");
        if (!manifest.Hyperparameters.TryGetValue(CalibrationScaleKey, out var scaleElement)
            || scaleElement.ValueKind != System.Text.Json.JsonValueKind.Number || !scaleElement.TryGetDouble(out var scale) || !(scale > 0) || !double.IsFinite(scale))
            throw new BundleException($"'{manifestPath}': missing or bad '{CalibrationScaleKey}'.");

        TorchRuntime.EnsureInitialised();
        var network = LoadWeights(settings, weightsPath);
        Device target;
        try { target = TorchRuntime.ResolveDevice(device); }
        catch (ArgumentException) { network.Dispose(); throw; }
        var scorer = new TileScorer(network, settings, target);
        var calibration = new ScoreCalibration(manifest.Threshold.RawValue, scale, manifest.Threshold.Rule);
        return new FrameCnnDetector(manifest, scorer, calibration, limits);
    }

    /// <summary>The network the settings describe, with the bundle's (already verified) weights; a mismatch is the bundle's error.</summary>
    private static FrameCnnNetwork LoadWeights(FrameCnnSettings settings, string weightsPath)
    {
        var network = FrameCnnNetwork.For(settings);
        try
        {
            network.load(weightsPath);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new BundleException($"'{weightsPath}' does not fit the network its manifest describes: {e.Message}", e);
        }
        return network;
    }
}
