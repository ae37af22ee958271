using ScottPlot;
using Vigil.Detectors.Evaluation.Nab;

namespace Vigil.Cli.Commands;

/// <summary>One PNG per NAB series: the values, the detector's score (right axis), the labelled windows shaded, and
/// the rows at or above the standard profile's threshold marked.</summary>
public static class NabPlotWriter
{
    public static string Write(string path, NabSeries series, double[] scores, double threshold, string detector)
    {
        var plot = new Plot();
        var xs = series.Timestamps.Select(t => t.ToOADate()).ToArray();
        foreach (var window in series.Windows)
        {
            var span = plot.Add.HorizontalSpan(xs[window.Start], xs[window.End]);
            span.FillStyle.Color = Colors.Orange.WithAlpha(0.25);
            span.LineStyle.Width = 0;
        }
        var probation = plot.Add.HorizontalSpan(xs[0], xs[Math.Max(0, series.ProbationaryLength - 1)]);
        probation.FillStyle.Color = Colors.Gray.WithAlpha(0.15);
        probation.LineStyle.Width = 0;

        var values = plot.Add.ScatterLine(xs, series.Values);
        values.Color = Colors.SteelBlue;
        values.LineWidth = 1;
        values.LegendText = "value";

        var score = plot.Add.ScatterLine(xs, scores);
        score.Color = Colors.DarkRed.WithAlpha(0.7);
        score.LineWidth = 1;
        score.Axes.YAxis = plot.Axes.Right;
        score.LegendText = "anomaly score";

        var detected = Enumerable.Range(series.ProbationaryLength, Math.Max(0, series.RowCount - series.ProbationaryLength))
            .Where(i => scores[i] >= threshold).ToArray();
        if (detected.Length > 0)
        {
            var marks = plot.Add.Markers(detected.Select(i => xs[i]).ToArray(), detected.Select(i => series.Values[i]).ToArray(),
                MarkerShape.FilledCircle, 6, Colors.Red);
            marks.LegendText = $"detections (score ≥ {threshold:F3})";
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Right.Label.Text = "score";
        plot.Axes.SetLimitsY(0, 1.05, plot.Axes.Right);
        plot.Axes.Left.Label.Text = "value";
        plot.Title($"{series.RelativePath} — {detector} (orange: labelled windows, grey: probationary)");
        plot.ShowLegend(Alignment.UpperLeft);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 1400, 450);
        return path;
    }
}
