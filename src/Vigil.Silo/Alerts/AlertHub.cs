using System.Threading.Channels;
using Vigil.Contracts;

namespace Vigil.Silo.Alerts;

/// <summary>
/// This silo's one subscription to the cluster-wide alert feed, fanned out to local listeners (SSE clients, the
/// console printer). Each listener gets a bounded channel: a client that stops reading loses its oldest alerts
/// rather than growing the silo's memory.
/// </summary>
public sealed class AlertHub : IAlertObserver
{
    /// <summary>Alerts held for one slow listener before the oldest are dropped.</summary>
    private const int ListenerCapacity = 1024;

    private readonly Lock _gate = new();
    private readonly List<Channel<AlertEvent>> _listeners = [];

    public Task OnAlertAsync(AlertEvent alert)
    {
        lock (_gate)
        {
            foreach (var listener in _listeners)
            {
                listener.Writer.TryWrite(alert);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Alerts from now until <paramref name="cancellationToken"/> fires.</summary>
    public async IAsyncEnumerable<AlertEvent> ListenAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<AlertEvent>(new BoundedChannelOptions(ListenerCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _listeners.Add(channel);
        }

        try
        {
            await foreach (var alert in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return alert;
            }
        }
        finally
        {
            lock (_gate)
            {
                _listeners.Remove(channel);
            }
        }
    }

    public int ListenerCount
    {
        get
        {
            lock (_gate)
            {
                return _listeners.Count;
            }
        }
    }
}
