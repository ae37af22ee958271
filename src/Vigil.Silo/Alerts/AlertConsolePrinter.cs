using System.Globalization;
using Vigil.Contracts;

namespace Vigil.Silo.Alerts;

/// <summary>Prints one line per detection on standard output, as the embedded default promises.</summary>
internal sealed class AlertConsolePrinter(AlertHub hub, TextWriter output) : BackgroundService
{
    public AlertConsolePrinter(AlertHub hub) : this(hub, Console.Out)
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alert in hub.ListenAsync(stoppingToken))
            {
                await output.WriteLineAsync(Format(alert));
                await output.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal static string Format(AlertEvent alert)
    {
        var a = alert.Alert;
        var kind = a.Kind.ToString().ToLowerInvariant();
        if (alert.Type == AlertEventType.Cleared)
        {
            return string.Create(CultureInfo.InvariantCulture, $"cleared {Time(a.ClearedAt ?? a.RaisedAt)} {kind,-6} {a.Home}/{a.Source}");
        }

        // Fused home alerts explain themselves (which sensor and camera agreed); the others are score vs threshold.
        var why = a.Kind == AlertKind.Home ? $" {a.Message}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"ALERT   {Time(a.RaisedAt)} {kind,-6} {a.Home}/{a.Source} score {a.Score:0.000} >= {a.Threshold:0.000} ({a.Detector} {a.ModelVersion}){why}");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
