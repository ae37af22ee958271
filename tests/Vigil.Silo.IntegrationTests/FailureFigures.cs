using System.Globalization;
using Xunit.Abstractions;

namespace Vigil.Silo.IntegrationTests;

/// <summary>
/// The failure tests' figures: sentences in the test output, and one <c>vigil-failure: scenario=… key=value …</c>
/// line per scenario, also appended to <c>failure-figures.log</c> beside the test assembly, so a run can be grepped.
/// </summary>
internal static class FailureFigures
{
    public static string LogPath => Path.Combine(AppContext.BaseDirectory, "failure-figures.log");

    public static void Write(ITestOutputHelper output, string scenario, IEnumerable<(string Key, object? Value)> figures)
    {
        var line = $"vigil-failure: scenario={scenario} " + string.Join(' ', figures.Select(f => $"{f.Key}={Format(f.Value)}"));
        output.WriteLine(line);
        File.AppendAllText(LogPath, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {line}{Environment.NewLine}");
    }

    public static string Seconds(TimeSpan? span) => span is { } s ? s.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "none";

    private static string Format(object? value) => value switch
    {
        null => "none",
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        TimeSpan t => Seconds(t),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!.Replace(' ', '_'),
    };
}
