using Vigil.Detectors.Evaluation.Nab;
using Vigil.Detectors.Evaluation.Selection;
using Vigil.Detectors.Series;
using Vigil.Detectors.Tests.Series;

namespace Vigil.Detectors.Tests.Nab;

/// <summary>The corpus the label-free selection scores on: built from probationary rows only, never from labels.</summary>
public sealed class SyntheticNabCorpusTests
{
    private static TempNabFolder NabWithoutLabels(params (string Name, int Rows)[] files)
    {
        var nab = new TempNabFolder();
        for (var i = 0; i < files.Length; i++)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(nab.DataPath(files[i].Name))!);
            SyntheticSeries.WriteCsv(nab.DataPath(files[i].Name), SyntheticSeries.Normal(files[i].Rows, seed: 10 + i));
        }
        // No combined_windows.json / combined_labels.json at all: the builder must not need them.
        if (File.Exists(nab.WindowsPath)) File.Delete(nab.WindowsPath);
        return nab;
    }

    [Fact]
    public void Builds_from_the_data_alone_and_keeps_each_files_probationary_rows_untouched()
    {
        using var nab = NabWithoutLabels(("a/one.csv", 1_200), ("b/two.csv", 6_000));
        var result = SyntheticNabCorpus.Build(nab.Root);

        Assert.Equal(["a/one.csv", "b/two.csv"], result.Corpus.Series.Select(s => s.RelativePath));
        var one = result.Corpus["a/one.csv"];
        var two = result.Corpus["b/two.csv"];
        Assert.Equal(1_200, one.RowCount);
        Assert.Equal(SyntheticNabCorpus.MaxRows, two.RowCount);               // capped
        var original = SeriesCsv.Read(nab.DataPath("b/two.csv"));
        for (var t = 0; t < two.ProbationaryLength; t++) Assert.Equal(original[t, 0], two.Values[t], 4);
        // Rows past the probationary part come from it too (tiled back and forth), except where an anomaly was injected.
        var p = two.ProbationaryLength;
        var injected = result.Anomalies.Where(a => a.RelativePath == "b/two.csv").ToList();
        var firstOnset = injected.Min(a => a.Onset);
        for (var t = p; t < firstOnset; t++)
        {
            var k = t % (2 * p);
            Assert.Equal(original[k < p ? k : 2 * p - 1 - k, 0], two.Values[t], 4);
        }
    }

    [Fact]
    public void Injects_one_anomaly_per_1500_scored_rows_in_rotation_with_a_NAB_window_centred_on_each()
    {
        using var nab = NabWithoutLabels(("a/one.csv", 1_200), ("a/two.csv", 4_000), ("a/three.csv", 4_000));
        var result = SyntheticNabCorpus.Build(nab.Root);

        Assert.Single(result.Corpus["a/one.csv"].Windows);
        Assert.Equal(3, result.Corpus["a/two.csv"].Windows.Count);
        Assert.Equal(7, result.Anomalies.Count);
        Assert.Equal(3, result.Anomalies.Select(a => a.Kind).Distinct().Count());
        foreach (var series in result.Corpus.Series)
        {
            var anomalies = result.Anomalies.Where(a => a.RelativePath == series.RelativePath).ToList();
            Assert.Equal(series.Windows.Count, anomalies.Count);
            for (var i = 0; i < anomalies.Count; i++)
            {
                var window = series.Windows[i];
                Assert.True(anomalies[i].Onset >= series.ProbationaryLength, "anomalies go into scored rows only");
                Assert.True(window.Contains(anomalies[i].Onset));
                Assert.Equal((int)Math.Floor(0.1 * series.RowCount / anomalies.Count), window.Width);
            }
        }
        var spike = result.Anomalies.First(a => a.Kind == SyntheticAnomalyKind.Spike);
        var spiked = result.Corpus[spike.RelativePath];
        Assert.True(Math.Abs(spiked.Values[spike.Onset] - spiked.Values[spike.Onset - 1]) > 2 * StdOfProbation(spiked));
        var flat = result.Anomalies.First(a => a.Kind == SyntheticAnomalyKind.FlatLine);
        var stuck = result.Corpus[flat.RelativePath].Values.Skip(flat.Onset).Take(flat.Length).Distinct().Count();
        Assert.Equal(1, stuck);
    }

    [Fact]
    public void Is_the_same_every_time()
    {
        using var nab = NabWithoutLabels(("a/one.csv", 3_000));
        var first = SyntheticNabCorpus.Build(nab.Root);
        var second = SyntheticNabCorpus.Build(nab.Root);
        Assert.Equal(first.Anomalies, second.Anomalies);
        Assert.Equal(first.Corpus.Series[0].Values, second.Corpus.Series[0].Values);
    }

    private static double StdOfProbation(NabSeries s)
    {
        var p = s.Values.Take(s.ProbationaryLength).ToArray();
        var mean = p.Average();
        return Math.Sqrt(p.Sum(v => (v - mean) * (v - mean)) / p.Length);
    }
}
