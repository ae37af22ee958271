using FsCheck;
using FsCheck.Fluent;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Scoring;
using Xunit.Abstractions;

namespace Vigil.Detectors.Tests.Bundles;

/// <summary>
/// Hostile bundles: copies of the shipped ones with bytes flipped, files cut short, grown or deleted, or a manifest
/// field set to a hostile value. Every load must either give a whole detector (it scores, and scores exactly as the
/// original when the damage left the manifest's meaning and the weights as they were) or throw
/// <see cref="BundleException"/> naming a file of the bundle: never another exception type, never a detector that
/// fails when used. Damage to the weights (covered by the manifest's SHA-256) must always be refused.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class BundleLoadFuzzTests(ITestOutputHelper output)
{
    private const int CasesPerKind = 400;

    [Theory]
    [InlineData(DetectorKinds.LstmDcnn, 11UL)]
    [InlineData(DetectorKinds.Autoencoder, 12UL)]
    [InlineData(DetectorKinds.FrameCnn, 13UL)]
    public void Every_damaged_bundle_loads_whole_or_is_refused_naming_its_file(string kind, ulong seed)
    {
        var shipped = BundleMutation.ShippedBundle(kind);
        var reference = Score(kind, shipped);
        var mutations = Gen.Sample(
            BundleMutation.Any(new FileInfo(Path.Combine(shipped, "weights.bin")).Length, new FileInfo(Path.Combine(shipped, ModelBundle.ManifestFile)).Length),
            CasesPerKind, new Rnd(seed), 20); // number of samples, seed, size
        Assert.Equal(CasesPerKind, mutations.Length);
        int refused = 0, loadedSame = 0, loadedChanged = 0;
        var failures = new List<string>();

        foreach (var mutation in mutations)
        {
            var dir = Directory.CreateTempSubdirectory($"vigil-bundle-fuzz-{kind}-").FullName;
            try
            {
                foreach (var file in Directory.GetFiles(shipped))
                {
                    File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
                }

                mutation.ApplyTo(dir);
                float[] scores;
                try
                {
                    scores = Score(kind, dir);
                }
                catch (BundleException e)
                {
                    refused++;
                    if (!e.Message.Contains(dir, StringComparison.Ordinal))
                    {
                        failures.Add($"{mutation.Describe}: BundleException does not name the bundle's file: {e.Message}");
                    }

                    continue;
                }
                catch (Exception e)
                {
                    failures.Add($"{mutation.Describe}: {e.GetType().FullName} instead of BundleException: {e.Message}");
                    continue;
                }

                if (mutation.TouchesWeights)
                {
                    failures.Add($"{mutation.Describe}: damaged weights loaded (the SHA-256 check let them through)");
                }
                else if (scores.SequenceEqual(reference))
                {
                    loadedSame++;
                }
                else
                {
                    // A manifest edit that changes meaning (a threshold, a calibration) may load; it must still score.
                    loadedChanged++;
                    if (scores.Any(s => !float.IsFinite(s)))
                    {
                        failures.Add($"{mutation.Describe}: loaded, but scores are not finite: {string.Join(", ", scores)}");
                    }
                }
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        output.WriteLine($"{kind} (seed {seed}): {mutations.Length} damaged bundles: {refused} refused with BundleException, " +
                         $"{loadedSame} loaded scoring as the original, {loadedChanged} loaded with an edited meaning; {failures.Count} failure(s)");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    /// <summary>Loads and uses the detector: the scores of a fixed input, so "whole" means it actually scores.</summary>
    private static float[] Score(string kind, string dir)
    {
        if (kind == DetectorKinds.FrameCnn)
        {
            using var frames = DetectorLoader.LoadFrames(dir, "cpu");
            var side = frames.InputSize * 4;
            var pixels = new byte[side * side];
            for (var i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (byte)(i * 31 % 251);
            }

            var score = frames.ScoreBatch([new GreyFrame(side, side, pixels)])[0];
            return [(float)score.Score, (float)score.RawValue, .. score.HeatMap, .. ManifestFigures(frames.Manifest), (float)frames.ThresholdScore];
        }

        using var detector = DetectorLoader.LoadSeries(dir, "cpu");
        var length = detector.InputLength * detector.Channels;
        var inputs = new float[2 * length];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = MathF.Sin(i / 5f);
        }

        var raw = new float[2];
        detector.ScoreBatch(inputs, 2, raw);
        return [.. raw, .. ManifestFigures(detector.Manifest)];
    }

    /// <summary>What hosts read from a loaded detector's manifest (model info, alerts, logs): it must all be there.</summary>
    private static float[] ManifestFigures(BundleManifest m) =>
        [(float)m.Threshold.Score, (float)m.Threshold.RawValue, m.Threshold.Rule.Length, m.Normalisation.Mode.Length, m.Kind.Length, m.Version.Length,
         m.Window, m.Channels, m.Hyperparameters.Count, m.Evaluation.Count];
}
