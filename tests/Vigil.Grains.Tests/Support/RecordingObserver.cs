using System.Collections.Concurrent;
using Vigil.Contracts;

namespace Vigil.Grains.Tests.Support;

/// <summary>An alert-feed subscriber as a silo's SSE hub would be, recording what arrives.</summary>
internal sealed class RecordingObserver : IAlertObserver
{
    private readonly SemaphoreSlim arrived = new(0);

    public ConcurrentQueue<AlertEvent> Events { get; } = new();

    public Task OnAlertAsync(AlertEvent alert)
    {
        Events.Enqueue(alert);
        arrived.Release();
        return Task.CompletedTask;
    }

    public async Task WaitForAsync(Func<IReadOnlyCollection<AlertEvent>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Events))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await arrived.WaitAsync(left))
                throw new TimeoutException($"Alert events so far: {string.Join(", ", Events.Select(e => $"{e.Type} {e.Alert.Id}"))}");
        }
    }
}
