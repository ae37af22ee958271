namespace Vigil.Contracts;

/// <summary>
/// One home's alerts; key <c>home</c> (<see cref="GrainKeys.ForHome"/>). Device and camera grains report here; the
/// home fuses a sensor and a camera alert close in time into one stronger <see cref="AlertKind.Home"/> alert and
/// publishes every change to the <see cref="IAlertFeedGrain"/>.
/// </summary>
[Alias("vigil.IHomeGrain")]
public interface IHomeGrain : IGrainWithStringKey
{
    /// <summary>Records an open alert of a device or camera; returns the fused home alert when this one caused one.</summary>
    [Alias("Raise")]
    Task<AlertRecord?> RaiseAsync(AlertRecord alert);

    /// <summary>Closes the open alert of <paramref name="source"/> (no-op when it has none).</summary>
    [Alias("Clear")]
    Task ClearAsync(string source, DateTimeOffset at);

    /// <summary>Most recent alerts first (open and cleared), at most <paramref name="max"/>.</summary>
    [Alias("GetRecentAlerts")]
    Task<AlertRecord[]> GetRecentAlertsAsync(int max = 100);
}
