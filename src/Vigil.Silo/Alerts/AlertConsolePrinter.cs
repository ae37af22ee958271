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
        var what = alert.Type == AlertEventType.Raised ? "ALERT  " : "cleared";
        var at = (alert.Type == AlertEventType.Raised ? a.RaisedAt : a.ClearedAt ?? a.RaisedAt)
            .UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $"{what} {at}Z {a.Kind.ToString().ToLowerInvariant(),-6} {a.Home}/{a.Source} score {a.Score:0.000} > {a.Threshold:0.000} ({a.Detector}) {a.Message}");
    }
}
