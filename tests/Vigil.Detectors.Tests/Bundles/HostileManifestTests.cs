using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;

namespace Vigil.Detectors.Tests.Bundles;

/// <summary>One test per manifest edit the bundle fuzz found loading wrongly, so each fix stays fixed.</summary>
public sealed class HostileManifestTests
{
    [Theory]
    // JSON null where the manifest promises a value: NullReferenceException later, when the detector is used.
    [InlineData(DetectorKinds.FrameCnn, "threshold", "null", "lacks 'threshold'")]
    [InlineData(DetectorKinds.LstmDcnn, "threshold", "null", "lacks 'threshold'")]
    [InlineData(DetectorKinds.Autoencoder, "normalisation", "null", "lacks 'normalisation.mode'")]
    [InlineData(DetectorKinds.LstmDcnn, "weightsFile", "null", "lacks 'weightsFile'")]
    [InlineData(DetectorKinds.LstmDcnn, "hyperparameters", "null", "lacks 'hyperparameters'")]
    [InlineData(DetectorKinds.FrameCnn, "kind", "null", "lacks 'kind'")]
    // A null calibration scale: InvalidOperationException from JsonElement.TryGetDouble.
    [InlineData(DetectorKinds.FrameCnn, "hyperparameters.calibrationScale", "null", "calibrationScale")]
    [InlineData(DetectorKinds.FrameCnn, "hyperparameters.calibrationScale", "\"1\"", "calibrationScale")]
    // Non-finite thresholds ("NaN" is read from a string, 1e400 as infinity): a detector that alerts never or always.
    [InlineData(DetectorKinds.FrameCnn, "threshold.rawValue", "1e400", "threshold raw")]
    [InlineData(DetectorKinds.FrameCnn, "threshold.rawValue", "\"NaN\"", "threshold raw")]
    [InlineData(DetectorKinds.Autoencoder, "threshold.score", "\"NaN\"", "threshold raw")]
    [InlineData(DetectorKinds.Autoencoder, "threshold.score", "7", "threshold raw")]
    // Sizes that would allocate gigabytes (or overflow) before the weights could prove them wrong.
    [InlineData(DetectorKinds.LstmDcnn, "hyperparameters.lstmHidden", "100000", "beyond this loader's bounds")]
    [InlineData(DetectorKinds.Autoencoder, "hyperparameters.convFilters", "2147483647", "beyond this loader's bounds")]
    [InlineData(DetectorKinds.LstmDcnn, "hyperparameters.dilations", "[1,2,4,8,16,32,64,128,256,512,1024,2048,4096,8192,16384,32768,65536,131072,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]", "beyond this loader's bounds")]
    public void A_hostile_manifest_field_is_refused_naming_the_manifest(string kind, string field, string json, string expected)
    {
        var dir = Directory.CreateTempSubdirectory($"vigil-manifest-{kind}-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(BundleMutation.ShippedBundle(kind)))
            {
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            }

            new BundleMutation.EditField(field, json).ApplyTo(dir);

            var e = Assert.Throws<BundleException>(() =>
            {
                using IDisposable detector = kind == DetectorKinds.FrameCnn ? DetectorLoader.LoadFrames(dir, "cpu") : DetectorLoader.LoadSeries(dir, "cpu");
            });
            Assert.Contains(Path.Combine(dir, ModelBundle.ManifestFile), e.Message);
            Assert.Contains(expected, e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
