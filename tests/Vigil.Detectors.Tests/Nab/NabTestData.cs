using Vigil.Detectors.Evaluation.Nab;

namespace Vigil.Detectors.Tests.Nab;

/// <summary>Where the shared NAB copy lives: <c>../shared/data/nab</c> beside the repository root (the folder with Cluster.sln).</summary>
public static class NabTestData
{
    public static readonly string[] ReferenceDetectors = ["windowedGaussian", "knncad", "twitterADVec"];

    public static string NabRoot { get; } = TestRepo.SharedData("nab");

    public static string ResultsDir(string detector) => Path.Combine(NabRoot, "results", detector);
}

/// <summary>The shared corpus and profiles, loaded once for all tests of a class.</summary>
public sealed class NabCorpusFixture
{
    public NabScorer Scorer { get; } = NabScorer.Load(NabTestData.NabRoot);

    private readonly Dictionary<string, NabResultsFolder.Contents> _results = new();

    public NabResultsFolder.Contents Results(string detector)
    {
        lock (_results)
        {
            if (!_results.TryGetValue(detector, out var contents))
                _results[detector] = contents = NabResultsFolder.Read(Scorer.Corpus, NabTestData.ResultsDir(detector));
            return contents;
        }
    }
}

/// <summary>One row of a reference <c>_scores.csv</c> file.</summary>
public sealed record ReferenceScoreRow(string File, double Threshold, double Score, int TP, int TN, int FP, int FN, int TotalCount)
{
    public static IReadOnlyList<ReferenceScoreRow> Read(string detector, string profile)
    {
        var path = Path.Combine(NabTestData.ResultsDir(detector), $"{detector}_{profile}_scores.csv");
        var lines = System.IO.File.ReadAllLines(path);
        Assert.Equal("Detector,Profile,File,Threshold,Score,TP,TN,FP,FN,Total_Count", lines[0]);
        return lines.Skip(1)
            .Where(l => l.Length > 0 && !l.StartsWith("Totals,", StringComparison.Ordinal))
            .Select(l => l.Split(','))
            .Select(f => new ReferenceScoreRow(f[2], D(f[3]), D(f[4]), int.Parse(f[5]), int.Parse(f[6]), int.Parse(f[7]),
                int.Parse(f[8]), int.Parse(f[9])))
            .ToArray();
    }

    private static double D(string s) => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
