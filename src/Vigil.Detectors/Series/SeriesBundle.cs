using Vigil.Detectors.Bundles;
using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Series;

/// <summary>Writes and reads lstm-dcnn / autoencoder bundles through <see cref="ModelBundle"/>.</summary>
public static class SeriesBundle
{
    /// <summary>Far above any trained Vigil network (32..64 wide); a manifest above it is refused before allocating.</summary>
    private const int MaxLayerWidth = 4096, MaxWindow = 65_536, MaxLayerCount = 32;

    /// <summary>Saves the model's weights and a manifest whose shape and hyperparameters come from the model.</summary>
    public static BundleManifest Save(string directory, SeriesModel model, BundleManifest manifest)
    {
        var complete = manifest with
        {
            Kind = model.Kind,
            Window = model.Window,
            Horizon = model.Horizon,
            Channels = model.Channels,
            Hyperparameters = new(model.Hyperparameters.ToManifest()
                .Concat(manifest.Hyperparameters.Where(p => !model.Hyperparameters.ToManifest().ContainsKey(p.Key)))),
        };
        return ModelBundle.Save(directory, complete, model.SaveWeights);
    }

    /// <summary>
    /// Verifies the bundle (manifest, checksum, shape agreement) and loads it on <paramref name="device"/>.
    /// Any failure is a <see cref="BundleException"/> naming the file; the half-built model is disposed.
    /// </summary>
    public static SeriesDetector Load(string directory, string device = "auto")
    {
        var (manifest, weightsPath) = ModelBundle.Open(directory);
        var manifestPath = Path.Combine(directory, ModelBundle.ManifestFile);
        if (!SeriesModel.IsSeriesKind(manifest.Kind))
            throw new BundleException($"'{manifestPath}' holds a '{manifest.Kind}' detector, not a time-series one (lstm-dcnn, autoencoder).");

        SeriesHyperparameters hp;
        try
        {
            hp = SeriesHyperparameters.FromManifest(manifest.Hyperparameters);
            hp.Validate(manifest.Kind);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new BundleException($"'{manifestPath}': {e.Message}.", e);
        }
        if (hp.Window != manifest.Window || hp.Horizon != manifest.Horizon || hp.Channels != manifest.Channels)
            throw new BundleException(
                $"'{manifestPath}' disagrees with itself: window/horizon/channels {manifest.Window}/{manifest.Horizon}/{manifest.Channels}, " +
                $"hyperparameters {hp.Window}/{hp.Horizon}/{hp.Channels}.");

        // A hostile manifest must not make the loader allocate gigabytes before the weights prove it wrong.
        if (hp.LstmHidden > MaxLayerWidth || hp.ConvFilters > MaxLayerWidth || hp.HeadWidth > MaxLayerWidth
            || hp.Channels > MaxLayerWidth || hp.Window > MaxWindow || hp.Dilations.Length > MaxLayerCount || hp.Dilations.Any(d => d > MaxWindow))
            throw new BundleException(
                $"'{manifestPath}' declares a network beyond this loader's bounds (layer widths and channels ≤ {MaxLayerWidth}, " +
                $"window and dilations ≤ {MaxWindow}, at most {MaxLayerCount} dilations).");

        var torchDevice = TorchRuntime.ResolveDevice(device);
        // Weights are read on the CPU and moved afterwards, so a bundle trained on a GPU loads anywhere.
        SeriesModel model;
        try
        {
            model = SeriesModel.Create(manifest.Kind, hp, TorchSharp.torch.CPU);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new BundleException($"'{manifestPath}' describes a network that cannot be built: {e.Message}", e);
        }
        try
        {
            model.LoadWeights(weightsPath);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new BundleException($"'{weightsPath}' does not hold the weights of the network '{manifestPath}' describes: {e.Message}", e);
        }
        if (torchDevice.type != TorchSharp.DeviceType.CPU) model.MoveTo(torchDevice);
        return new SeriesDetector(model, manifest);
    }

    /// <summary>
    /// Rewrites the manifest of a verified bundle (e.g. to record how its stream scoring was chosen and what it scored)
    /// and keeps its weights byte for byte; the weights' checksum is verified first and recomputed after.
    /// </summary>
    public static BundleManifest UpdateManifest(string directory, Func<BundleManifest, BundleManifest> change)
    {
        var (manifest, weightsPath) = ModelBundle.Open(directory);
        var updated = change(manifest);
        if (updated.Kind != manifest.Kind || updated.Window != manifest.Window || updated.Horizon != manifest.Horizon ||
            updated.Channels != manifest.Channels || updated.WeightsFile != manifest.WeightsFile)
            throw new ArgumentException("a manifest update may not change the bundle's kind, shape or weights file.");
        return ModelBundle.Save(directory, updated, temp => File.Copy(weightsPath, temp, overwrite: true));
    }
}
