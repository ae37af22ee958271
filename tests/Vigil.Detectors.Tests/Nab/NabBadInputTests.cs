using Vigil.Detectors.Evaluation.Nab;

namespace Vigil.Detectors.Tests.Nab;

/// <summary>Every kind of bad NAB input is an error naming the file and (where one row is at fault) its line.</summary>
public sealed class NabBadInputTests
{
    private const string Header = "timestamp,value\n";

    private static NabDataException LoadFails(TempNabFolder folder) =>
        Assert.Throws<NabDataException>(() => NabCorpus.Load(folder.Root));

    private static string Rows(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"{TempNabFolder.Stamp(i)},{i}\n"));

    [Fact]
    public void A_good_folder_loads_with_windows_as_row_ranges()
    {
        using var folder = new TempNabFolder().AddSeries("cat/a.csv", 40, (20, 24), (30, 31)).AddSeries("cat/b.csv", 10);
        var corpus = NabCorpus.Load(folder.Root);
        Assert.Equal(["cat/a.csv", "cat/b.csv"], corpus.Series.Select(s => s.RelativePath));
        Assert.Equal([new NabWindow(20, 24), new NabWindow(30, 31)], corpus["cat/a.csv"].Windows);
        Assert.Equal(6, corpus["cat/a.csv"].ProbationaryLength); // floor(0.15 · 40)
        Assert.Equal(2, corpus.WindowCount);
    }

    [Fact]
    public void Missing_value_column_names_the_file_and_header_line()
    {
        using var folder = new TempNabFolder().AddRawSeries("cat/a.csv", "timestamp,reading\n" + Rows(5));
        var e = LoadFails(folder);
        Assert.Equal(folder.DataPath("cat/a.csv"), e.File);
        Assert.Equal(1, e.Line);
        Assert.Contains("missing column 'value'", e.Message);
        Assert.Contains(folder.DataPath("cat/a.csv") + ", line 1", e.Message);
    }

    [Fact]
    public void Unparsable_timestamp_names_its_line()
    {
        var csv = Header + Rows(2) + "yesterday noon,3\n" + Rows(1);
        using var folder = new TempNabFolder().AddRawSeries("cat/a.csv", csv);
        var e = LoadFails(folder);
        Assert.Equal(4, e.Line);
        Assert.Contains("'yesterday noon'", e.Message);
        Assert.Contains(folder.DataPath("cat/a.csv") + ", line 4", e.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e400")]
    [InlineData("twelve")]
    public void Non_finite_or_unparsable_values_name_their_line(string value)
    {
        var csv = Header + Rows(3) + $"{TempNabFolder.Stamp(3)},{value}\n";
        using var folder = new TempNabFolder().AddRawSeries("cat/a.csv", csv);
        var e = LoadFails(folder);
        Assert.Equal(5, e.Line);
        Assert.Contains(folder.DataPath("cat/a.csv"), e.Message);
        Assert.Contains($"'{value}'", e.Message);
    }

    [Fact]
    public void Empty_file_is_an_error_on_line_1()
    {
        using var folder = new TempNabFolder().AddRawSeries("cat/a.csv", "");
        var e = LoadFails(folder);
        Assert.Equal(1, e.Line);
        Assert.Contains(folder.DataPath("cat/a.csv"), e.Message);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Header_without_rows_is_an_error_on_line_2()
    {
        using var folder = new TempNabFolder().AddRawSeries("cat/a.csv", Header);
        Assert.Equal(2, LoadFails(folder).Line);
    }

    [Fact]
    public void Row_with_too_few_fields_names_its_line()
    {
        using var folder = new TempNabFolder().AddRawSeries("cat/a.csv", Header + Rows(2) + "2024-01-01 00:10:00\n");
        Assert.Equal(4, LoadFails(folder).Line);
    }

    [Fact]
    public void Blank_line_inside_the_file_names_its_line_but_a_trailing_one_is_fine()
    {
        using var bad = new TempNabFolder().AddRawSeries("cat/a.csv", Header + Rows(2) + "\n" + Rows(1).Replace(TempNabFolder.Stamp(0), TempNabFolder.Stamp(5)));
        Assert.Equal(4, LoadFails(bad).Line);

        using var good = new TempNabFolder().AddRawSeries("cat/a.csv", Header + Rows(3) + "\n\n");
        Assert.Equal(3, NabCorpus.Load(good.Root).Series[0].RowCount);
    }

    [Fact]
    public void Timestamps_going_back_name_the_line()
    {
        var csv = Header + $"{TempNabFolder.Stamp(0)},1\n{TempNabFolder.Stamp(2)},1\n{TempNabFolder.Stamp(1)},1\n";
        using var folder = new TempNabFolder().AddRawSeries("cat/a.csv", csv);
        var e = LoadFails(folder);
        Assert.Equal(4, e.Line);
        Assert.Contains("earlier", e.Message);
    }

    [Fact]
    public void Repeated_timestamps_are_accepted_as_in_NAB_data()
    {
        var csv = Header + $"{TempNabFolder.Stamp(0)},1\n{TempNabFolder.Stamp(1)},1\n{TempNabFolder.Stamp(1)},2\n";
        using var folder = new TempNabFolder().AddRawSeries("cat/a.csv", csv);
        Assert.Equal(3, NabCorpus.Load(folder.Root).Series[0].RowCount);
    }

    [Fact]
    public void Window_naming_a_timestamp_the_file_lacks_names_the_windows_file_line_and_the_data_file()
    {
        using var folder = new TempNabFolder()
            .AddSeries("cat/a.csv", 20, (5, 6))
            .AddSeries("cat/b.csv", 20)
            .SetWindows("cat/b.csv", (TempNabFolder.Stamp(10), TempNabFolder.Stamp(25)));
        var e = LoadFails(folder);
        Assert.Equal(folder.WindowsPath, e.File);
        // Line 1 "{", 2 "cat/a.csv": [, 3 its window, 4 "]," , 5 "cat/b.csv": [, 6 its window.
        Assert.Equal(6, e.Line);
        Assert.Contains("data/cat/b.csv", e.Message);
        Assert.Contains(TempNabFolder.Stamp(25), e.Message);
    }

    [Fact]
    public void Window_ending_before_it_starts_or_overlapping_names_its_line()
    {
        using var reversed = new TempNabFolder().AddSeries("cat/a.csv", 20).SetWindows("cat/a.csv", (TempNabFolder.Stamp(9), TempNabFolder.Stamp(3)));
        Assert.Equal(3, LoadFails(reversed).Line);

        using var overlapping = new TempNabFolder().AddSeries("cat/a.csv", 20, (3, 9), (8, 12));
        Assert.Equal(4, LoadFails(overlapping).Line);
    }

    [Fact]
    public void Data_file_without_a_windows_entry_is_named()
    {
        using var folder = new TempNabFolder().AddSeries("cat/a.csv", 20).RemoveWindowsEntry("cat/a.csv").AddSeries("cat/b.csv", 20);
        var e = LoadFails(folder);
        Assert.Equal(folder.WindowsPath, e.File);
        Assert.Contains("'cat/a.csv'", e.Message);
    }

    [Fact]
    public void Malformed_windows_json_names_its_line()
    {
        using var folder = new TempNabFolder().AddSeries("cat/a.csv", 20);
        File.WriteAllText(folder.WindowsPath, "{\n  \"cat/a.csv\": [\n    [\"2024-01-01 00:00:00\"]\n  ]\n}\n");
        var e = LoadFails(folder);
        Assert.Equal(folder.WindowsPath, e.File);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Windows_entries_without_a_data_file_are_listed_not_loaded()
    {
        using var folder = new TempNabFolder().AddSeries("cat/a.csv", 20).AddSeries("cat/kept_back.csv", 20, (5, 6));
        File.Delete(folder.DataPath("cat/kept_back.csv"));
        var corpus = NabCorpus.Load(folder.Root);
        Assert.Equal(["cat/kept_back.csv"], corpus.LabelledFilesWithoutData);
        Assert.Equal(0, corpus.WindowCount);
    }

    [Fact]
    public void Profile_without_a_weight_is_named()
    {
        using var folder = new TempNabFolder();
        var path = Path.Combine(folder.Root, NabProfiles.FileName);
        File.WriteAllText(path, """{ "standard": { "CostMatrix": { "tpWeight": 1.0, "fnWeight": 1.0 } } }""");
        var e = Assert.Throws<NabDataException>(() => NabProfiles.Load(folder.Root));
        Assert.Equal(path, e.File);
        Assert.Contains("fpWeight", e.Message);
    }

    [Fact]
    public void Results_file_problems_name_the_file_and_line()
    {
        using var folder = new TempNabFolder().AddSeries("cat/a.csv", 6, (3, 4));
        var results = Path.Combine(folder.Root, "results", "det");
        var resultFile = Path.Combine(results, "cat", "det_a.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(resultFile)!);

        // Missing file.
        var missing = Assert.Throws<NabDataException>(() => NabScorer.ScoreResultsFolder(folder.Root, results));
        Assert.Equal(resultFile, missing.File);

        string Row(int i, string score) => $"{TempNabFolder.Stamp(i)},{i % 7}.5,{score},0\n";
        const string header = "timestamp,value,anomaly_score,label\n";

        File.WriteAllText(resultFile, "timestamp,value,score,label\n" + string.Concat(Enumerable.Range(0, 6).Select(i => Row(i, "0"))));
        var noColumn = Assert.Throws<NabDataException>(() => NabScorer.ScoreResultsFolder(folder.Root, results));
        Assert.Equal((resultFile, 1), (noColumn.File, noColumn.Line));
        Assert.Contains("anomaly_score", noColumn.Message);

        File.WriteAllText(resultFile, header + string.Concat(Enumerable.Range(0, 6).Select(i => Row(i, i == 4 ? "nan" : "0.5"))));
        var nan = Assert.Throws<NabDataException>(() => NabScorer.ScoreResultsFolder(folder.Root, results));
        Assert.Equal((resultFile, 6), (nan.File, nan.Line));

        File.WriteAllText(resultFile, header + string.Concat(Enumerable.Range(0, 5).Select(i => Row(i, "0.5"))));
        var short_ = Assert.Throws<NabDataException>(() => NabScorer.ScoreResultsFolder(folder.Root, results));
        Assert.Equal((resultFile, 7), (short_.File, short_.Line));
        Assert.Contains("5 rows", short_.Message);

        File.WriteAllText(resultFile, header + string.Concat(Enumerable.Range(0, 6).Select(i => Row(i == 2 ? 9 : i, "0.5"))));
        var shifted = Assert.Throws<NabDataException>(() => NabScorer.ScoreResultsFolder(folder.Root, results));
        Assert.Equal((resultFile, 4), (shifted.File, shifted.Line));
    }

    [Fact]
    public void Scores_given_in_memory_are_checked_per_file()
    {
        using var folder = new TempNabFolder().AddSeries("cat/a.csv", 6, (3, 4));
        var scorer = NabScorer.Load(folder.Root);
        var wrongLength = Assert.Throws<NabDataException>(() => scorer.Score("d", new Dictionary<string, double[]> { ["cat/a.csv"] = new double[5] }));
        Assert.Equal("cat/a.csv", wrongLength.File);
        var nan = Assert.Throws<NabDataException>(() =>
            scorer.Score("d", new Dictionary<string, double[]> { ["cat/a.csv"] = [0, 0, double.NaN, 0, 0, 0] }));
        Assert.Equal(("cat/a.csv", 4), (nan.File, nan.Line));
        var extra = Assert.Throws<NabDataException>(() => scorer.Score("d",
            new Dictionary<string, double[]> { ["cat/a.csv"] = new double[6], ["cat/other.csv"] = new double[6] }));
        Assert.Equal("cat/other.csv", extra.File);
        Assert.Throws<NabDataException>(() => scorer.Score("d", new Dictionary<string, double[]>()));
    }
}
