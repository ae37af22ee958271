using Vigil.Contracts;
using Vigil.Silo.Alerts;

namespace Vigil.Silo.Tests;

public sealed class AlertConsolePrinterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 5, 0, TimeSpan.Zero);

    private static AlertRecord Alert(AlertKind kind, DateTimeOffset? cleared = null) =>
        new(AlertRecord.MakeId("home-1", "temp", At), "home-1", kind == AlertKind.Home ? "home-1" : "temp", kind, "lstm-dcnn", "v7",
            At, cleared, 0.91f, 0.35f, "temp and door-cam agree", null, []);

    [Fact]
    public void A_raised_alert_is_one_line_with_score_and_threshold() =>
        Assert.Equal("ALERT   2026-11-22 10:05:00Z sensor home-1/temp score 0.910 >= 0.350 (lstm-dcnn v7)",
            AlertConsolePrinter.Format(new AlertEvent(AlertEventType.Raised, Alert(AlertKind.Sensor))));

    [Fact]
    public void A_fused_home_alert_says_why() =>
        Assert.EndsWith("(lstm-dcnn v7) temp and door-cam agree",
            AlertConsolePrinter.Format(new AlertEvent(AlertEventType.Raised, Alert(AlertKind.Home))));

    [Fact]
    public void A_cleared_alert_names_when_and_what() =>
        Assert.Equal("cleared 2026-11-22 10:09:00Z sensor home-1/temp",
            AlertConsolePrinter.Format(new AlertEvent(AlertEventType.Cleared, Alert(AlertKind.Sensor, At.AddMinutes(4)))));
}
