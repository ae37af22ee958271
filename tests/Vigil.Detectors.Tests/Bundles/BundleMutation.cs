using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Vigil.Detectors.Bundles;

namespace Vigil.Detectors.Tests.Bundles;

/// <summary>
/// One damage done to a copy of a shipped bundle: bytes flipped, a file cut short, grown or deleted, or one manifest
/// field set to a hostile value. <see cref="Describe"/> says which, so a failing case reproduces by hand.
/// </summary>
internal abstract record BundleMutation
{
    /// <summary>True when the damage is to the weights file, which the manifest's SHA-256 covers: loading must refuse.</summary>
    public abstract bool TouchesWeights { get; }

    public abstract void ApplyTo(string bundleDir);

    public abstract string Describe { get; }

    public sealed record Flip(string File, int Offset, byte Mask) : BundleMutation
    {
        public override bool TouchesWeights => File != ModelBundle.ManifestFile;
        public override string Describe => $"{File}: byte {Offset} ^= 0x{Mask:x2}";

        public override void ApplyTo(string bundleDir)
        {
            var path = Path.Combine(bundleDir, File);
            var bytes = System.IO.File.ReadAllBytes(path);
            bytes[Offset % bytes.Length] ^= Mask;
            System.IO.File.WriteAllBytes(path, bytes);
        }
    }

    public sealed record Truncate(string File, double Keep) : BundleMutation
    {
        public override bool TouchesWeights => File != ModelBundle.ManifestFile;
        public override string Describe => $"{File}: cut to {Keep:P0}";

        public override void ApplyTo(string bundleDir)
        {
            var path = Path.Combine(bundleDir, File);
            var bytes = System.IO.File.ReadAllBytes(path);
            System.IO.File.WriteAllBytes(path, bytes[..(int)(bytes.Length * Keep)]);
        }
    }

    public sealed record Append(string File, byte[] Extra) : BundleMutation
    {
        public override bool TouchesWeights => File != ModelBundle.ManifestFile;
        public override string Describe => $"{File}: {Extra.Length} byte(s) appended";

        public override void ApplyTo(string bundleDir)
        {
            using var stream = new FileStream(Path.Combine(bundleDir, File), FileMode.Append);
            stream.Write(Extra);
        }
    }

    public sealed record Delete(string File) : BundleMutation
    {
        public override bool TouchesWeights => File != ModelBundle.ManifestFile;
        public override string Describe => $"{File}: deleted";

        public override void ApplyTo(string bundleDir) => System.IO.File.Delete(Path.Combine(bundleDir, File));
    }

    /// <summary>Sets the manifest field at <paramref name="Path"/> (dot-separated) to <paramref name="Json"/>, or removes it when null.</summary>
    public sealed record EditField(string Path, string? Json) : BundleMutation
    {
        public override bool TouchesWeights => false;
        public override string Describe => Json is null ? $"manifest: '{Path}' removed" : $"manifest: '{Path}' = {Clip(Json)}";

        public override void ApplyTo(string bundleDir)
        {
            var path = System.IO.Path.Combine(bundleDir, ModelBundle.ManifestFile);
            var root = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
            var names = Path.Split('.');
            var parent = root;
            foreach (var name in names[..^1])
            {
                if (parent[name] is not JsonObject child)
                {
                    return; // the field does not exist in this kind's manifest: nothing to damage
                }

                parent = child;
            }

            if (Json is null)
            {
                parent.Remove(names[^1]);
            }
            else
            {
                // Deeper than a reader's default 64 levels on purpose (the loader must refuse it, not overflow).
                parent[names[^1]] = JsonNode.Parse(Json, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 256 });
            }

            System.IO.File.WriteAllText(path, root.ToJsonString());
        }

        private static string Clip(string s) => s.Length <= 60 ? s : s[..60] + "…";
    }

    /// <summary>Manifest fields of every kind, and the hostile values tried in them.</summary>
    private static readonly string[] Fields =
    [
        "format", "kind", "version", "created", "window", "horizon", "channels", "normalisation", "normalisation.mode", "threshold",
        "threshold.rawValue", "threshold.score", "threshold.rule", "trainingFingerprint", "hyperparameters", "evaluation", "weightsFile", "weightsSha256",
        "hyperparameters.window", "hyperparameters.horizon", "hyperparameters.channels", "hyperparameters.lstmHidden", "hyperparameters.convFilters",
        "hyperparameters.dilations", "hyperparameters.headWidth", "hyperparameters.seed", "hyperparameters.scoredSteps", "hyperparameters.streamScore",
        "hyperparameters.streamScore.HistoryLength", "hyperparameters.streamScore.WarmUp", "hyperparameters.streamScore.MinStd",
        "hyperparameters.tileRows", "hyperparameters.tileCols", "hyperparameters.overlap", "hyperparameters.inputSize", "hyperparameters.width",
        "hyperparameters.objective", "hyperparameters.transforms", "hyperparameters.scoring", "hyperparameters.shiftFraction",
        "hyperparameters.aggregate", "hyperparameters.outputs", "hyperparameters.calibrationScale", "hyperparameters.grid",
    ];

    private static readonly string?[] Values =
    [
        null, "null", "\"\"", "0", "-1", "1", "3", "7", "64", "100000", "2147483647", "-2147483648", "1e10", "1e400", "0.5", "\"x\"", "true", "[]", "{}",
        "[0]", "[1,2,4,8,16,32,64,128,256,512]", "[-1]", "[2147483647]", "\"../../etc/passwd\"", "\"/etc/passwd\"", "\"weights.bin\"", "\"manifest.json\"",
        "\"lstm-dcnn\"", "\"autoencoder\"", "\"frame-cnn\"", "\"ensemble\"", "\"NaN\"", "\"" + new string('a', 100_000) + "\"",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    ];

    public static Gen<BundleMutation> Any(long weightsLength, long manifestLength)
    {
        var files = Gen.Elements(ModelBundle.ManifestFile, "weights.bin");
        return Gen.Frequency(
            (4, from file in files from offset in Gen.Choose(0, int.MaxValue) from mask in Gen.Choose(1, 255)
                select (BundleMutation)new Flip(file, (int)(offset % (file == ModelBundle.ManifestFile ? manifestLength : weightsLength)), (byte)mask)),
            (2, from file in files from keep in Gen.Choose(0, 999) select (BundleMutation)new Truncate(file, keep / 1000.0)),
            (1, from file in files from extra in Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>()).Where(b => b.Length > 0)
                select (BundleMutation)new Append(file, extra)),
            (1, files.Select(f => (BundleMutation)new Delete(f))),
            (6, from field in Gen.Elements(Fields) from value in Gen.Elements(Values) select (BundleMutation)new EditField(field, value)));
    }

    /// <summary>The shipped bundles, found from this source file (tests may run from an artifacts folder elsewhere).</summary>
    public static string ShippedBundle(string kind, [CallerFilePath] string here = "") =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(here)!, "..", "..", "..", "models", kind));
}
