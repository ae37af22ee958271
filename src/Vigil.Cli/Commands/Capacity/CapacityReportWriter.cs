using System.Globalization;
using System.Text;
using ScottPlot;

namespace Vigil.Cli.Commands.Capacity;

/// <summary>The capacity report's files: <c>&lt;out&gt;.csv</c> (one row per fleet size) and <c>&lt;out&gt;.png</c>
/// (the cost curve: CPU µs per reading and p99 against homes, log x axis).</summary>
public static class CapacityReportWriter
{
    public const string CsvHeader =
        "homes,devices,cameras,window_s,readings_per_s,frames_per_s,p50_ms,p99_ms,dropped,refused_in_window,silo_cpu_percent,idle_cpu_percent,cpu_us_per_reading,rss_mb,idle_rss_mb,kb_per_device_grain,marginal_kb_per_device_grain,cores,load_cpu_percent";

    public static string WriteCsv(string path, IReadOnlyList<CapacityRow> rows)
    {
        var text = new StringBuilder().AppendLine(CsvHeader);
        foreach (var r in rows)
        {
            text.AppendLine(string.Join(',',
                I(r.Homes), I(r.Devices), I(r.Cameras), F(r.WindowSeconds, 1), F(r.ReadingsPerSecond, 1), F(r.FramesPerSecond, 1),
                F(r.Window.P50Ms, 2), F(r.Window.P99Ms, 2), I(r.Dropped), I(r.Window.RefusedRequests), F(r.CpuPercentOfMachine, 1), F(r.IdleCpuPercentOfMachine, 2),
                F(r.CpuMicrosPerReading, 1), F(r.RssMb, 1), F(r.IdleRssMb, 1), F(r.KbPerDeviceGrain, 2), F(r.MarginalKbPerDeviceGrain(rows), 2), I(Environment.ProcessorCount),
                F(r.LoadCpuPercentOfMachine, 1)));
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    public static string WritePng(string path, IReadOnlyList<CapacityRow> rows)
    {
        var plot = new Plot();
        var xs = rows.Select(r => Math.Log10(r.Homes)).ToArray();

        var cpu = plot.Add.Scatter(xs, rows.Select(r => r.CpuMicrosPerReading).ToArray());
        cpu.Color = Colors.SteelBlue;
        cpu.LineWidth = 2;
        cpu.MarkerSize = 8;
        cpu.LegendText = "silo CPU per reading (µs, left)";

        var p99 = plot.Add.Scatter(xs, rows.Select(r => r.Window.P99Ms).ToArray());
        p99.Color = Colors.DarkRed;
        p99.LineWidth = 2;
        p99.MarkerSize = 8;
        p99.LinePattern = LinePattern.Dashed;
        p99.LegendText = "ingest-to-score p99 (ms, right)";
        p99.Axes.YAxis = plot.Axes.Right;

        // Log x: positions are log10(homes), labelled with the homes measured.
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var r in rows) ticks.AddMajor(Math.Log10(r.Homes), r.Homes.ToString("N0", CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.Bottom.Label.Text = "homes (log scale)";
        plot.Axes.Left.Label.Text = "CPU µs per reading";
        plot.Axes.Right.Label.Text = "p99 ms";
        double pad = xs.Length > 1 ? (xs.Max() - xs.Min()) * 0.08 : 0.2;
        plot.Axes.SetLimitsX(xs.Min() - pad, xs.Max() + pad);
        plot.Axes.SetLimitsY(0, Top(rows.Select(r => r.CpuMicrosPerReading)), plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Top(rows.Select(r => r.Window.P99Ms)), plot.Axes.Right);
        var first = rows[0];
        plot.Title($"Vigil capacity: one silo, {Environment.ProcessorCount} cores, {first.Devices / Math.Max(1, first.Homes)} sensors + {first.Cameras / Math.Max(1, first.Homes)} camera(s) per home");
        plot.ShowLegend(Alignment.UpperLeft);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 500);
        return path;
    }

    private static double Top(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(1).Max();
        return finite > 0 ? finite * 1.25 : 1;
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string F(double v, int digits) => double.IsFinite(v) ? v.ToString("F" + digits, CultureInfo.InvariantCulture) : "";
}
