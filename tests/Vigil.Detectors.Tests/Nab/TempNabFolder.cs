using System.Text;
using Vigil.Detectors.Evaluation.Nab;

namespace Vigil.Detectors.Tests.Nab;

/// <summary>A small NAB folder on disk (data/, combined_windows.json, profiles.json), deleted after the test.</summary>
public sealed class TempNabFolder : IDisposable
{
    public const string Profiles = """
        {
          "standard": { "CostMatrix": { "tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0 } },
          "reward_low_FP_rate": { "CostMatrix": { "tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0 } },
          "reward_low_FN_rate": { "CostMatrix": { "tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.11, "tnWeight": 1.0 } }
        }
        """;

    public static readonly DateTime Start = new(2024, 1, 1);

    public TempNabFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "vigil-nab-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        File.WriteAllText(Path.Combine(Root, NabProfiles.FileName), Profiles);
    }

    public string Root { get; }

    public string DataPath(string relative) => Path.Combine(Root, "data", relative);

    public string WindowsPath => Path.Combine(Root, NabCorpus.WindowsFileName);

    public static string Stamp(int row) => Start.AddMinutes(5 * row).ToString("yyyy-MM-dd HH:mm:ss");

    /// <summary>A regular series of <paramref name="rows"/> rows; windows as inclusive row ranges.</summary>
    public TempNabFolder AddSeries(string relative, int rows, params (int Start, int End)[] windows) =>
        AddRawSeries(relative, "timestamp,value\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"{Stamp(i)},{i % 7}.5\n")), windows);

    public TempNabFolder AddRawSeries(string relative, string csv, params (int Start, int End)[] windows)
    {
        var path = DataPath(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, csv);
        _windows[relative] = windows.Select(w => (Stamp(w.Start) + ".000000", Stamp(w.End) + ".000000")).ToList();
        WriteWindows();
        return this;
    }

    /// <summary>Replaces the windows of a file with raw timestamp strings.</summary>
    public TempNabFolder SetWindows(string relative, params (string Start, string End)[] windows)
    {
        _windows[relative] = windows.ToList();
        WriteWindows();
        return this;
    }

    public TempNabFolder RemoveWindowsEntry(string relative)
    {
        _windows.Remove(relative);
        WriteWindows();
        return this;
    }

    private readonly SortedDictionary<string, List<(string Start, string End)>> _windows = new(StringComparer.Ordinal);

    /// <summary>One line per key and per window, so tests can predict the line of each.</summary>
    private void WriteWindows()
    {
        var text = new StringBuilder("{\n");
        var keys = _windows.Keys.ToArray();
        for (var k = 0; k < keys.Length; k++)
        {
            var windows = _windows[keys[k]];
            text.Append($"  \"{keys[k]}\": [\n");
            for (var w = 0; w < windows.Count; w++)
                text.Append($"    [\"{windows[w].Start}\", \"{windows[w].End}\"]{(w + 1 < windows.Count ? "," : "")}\n");
            text.Append($"  ]{(k + 1 < keys.Length ? "," : "")}\n");
        }

        text.Append("}\n");
        File.WriteAllText(WindowsPath, text.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
