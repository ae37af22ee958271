using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vigil.Contracts;
using Vigil.Grains.Options;

namespace Vigil.Grains.Homes;

/// <summary>Keeps a home's recent alerts, fuses sensor and camera alerts, and publishes every change to the alert feed.</summary>
internal sealed class HomeGrain(
    [PersistentState("home", GrainStorage.Name)] IPersistentState<HomeState> store,
    IOptions<AlertOptions> alertOptions,
    ILogger<HomeGrain> log) : Grain, IHomeGrain
{
    private readonly AlertOptions options = alertOptions.Value;

    private List<AlertRecord> Alerts => store.State.Alerts;

    public async Task<AlertRecord?> RaiseAsync(AlertRecord alert)
    {
        if (alert.Home != this.GetPrimaryKeyString())
            throw new ArgumentException($"Alert '{alert.Id}' belongs to home '{alert.Home}', not '{this.GetPrimaryKeyString()}'.");
        if (Alerts.Any(a => a.Id == alert.Id))
            return null; // a retried report: already known

        var events = new List<AlertEvent>();
        // A source has one open alert at a time: a new one closes what the home still holds open for it.
        CloseOpen(alert.Source, alert.RaisedAt, events);
        var fused = AlertFusion.Fuse(alert, Alerts, TimeSpan.FromSeconds(options.FusionWindowSeconds));
        Alerts.Add(alert);
        events.Add(new AlertEvent(AlertEventType.Raised, alert));
        if (fused is not null && Alerts.All(a => a.Id != fused.Id))
        {
            Alerts.Add(fused);
            events.Add(new AlertEvent(AlertEventType.Raised, fused));
        }
        Trim();
        await store.WriteStateAsync();
        await PublishAsync(events);
        return fused;
    }

    public async Task ClearAsync(string source, DateTimeOffset at)
    {
        var events = new List<AlertEvent>();
        CloseOpen(source, at, events);
        if (events.Count == 0)
            return;
        await store.WriteStateAsync();
        await PublishAsync(events);
    }

    public Task<AlertRecord[]> GetRecentAlertsAsync(int max = 100) =>
        Task.FromResult(Alerts.AsEnumerable().Reverse().Take(Math.Max(0, max)).ToArray());

    /// <summary>Closes the source's open alert, and a fused home alert once none of its parts is open any more.</summary>
    private void CloseOpen(string source, DateTimeOffset at, List<AlertEvent> events)
    {
        for (var i = 0; i < Alerts.Count; i++)
        {
            var a = Alerts[i];
            if (!a.IsOpen || a.Kind == AlertKind.Home || a.Source != source)
                continue;
            Alerts[i] = a with { ClearedAt = at };
            events.Add(new AlertEvent(AlertEventType.Cleared, Alerts[i]));
        }
        for (var i = 0; i < Alerts.Count; i++)
        {
            var a = Alerts[i];
            if (a.Kind != AlertKind.Home || !a.IsOpen || a.Related.Any(id => Alerts.Any(r => r.Id == id && r.IsOpen)))
                continue;
            Alerts[i] = a with { ClearedAt = at };
            events.Add(new AlertEvent(AlertEventType.Cleared, Alerts[i]));
        }
    }

    private void Trim()
    {
        for (var i = 0; Alerts.Count > options.RecentAlerts && i < Alerts.Count;)
        {
            if (Alerts[i].IsOpen) i++;
            else Alerts.RemoveAt(i);
        }
    }

    private async Task PublishAsync(List<AlertEvent> events)
    {
        var feed = GrainFactory.GetGrain<IAlertFeedGrain>(GrainKeys.AlertFeed);
        foreach (var e in events)
        {
            try
            {
                await feed.PublishAsync(e);
            }
            catch (Exception ex)
            {
                // The alert is stored and listed by the API; only the live stream misses it.
                log.LogWarning(ex, "Home {Home}: could not publish alert {Alert} to the feed", this.GetPrimaryKeyString(), e.Alert.Id);
            }
        }
    }
}
