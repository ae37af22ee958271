using System.Diagnostics.Metrics;
using Vigil.Telemetry;

namespace Vigil.Cli.Commands.ClusterBench;

/// <summary>
/// Listens to the silo's own <c>vigil.inference.batch_size</c> histogram (same process) to report the mean batch the
/// model grains actually ran: the evidence that the batched variant batches and the unbatched one does not.
/// </summary>
internal sealed class BatchSizeProbe : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches, _items;

    public BatchSizeProbe()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == VigilDiagnostics.Name && instrument.Name == VigilDiagnostics.InferenceBatchSizeName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _items, size);
        });
        _listener.Start();
    }

    /// <summary>Counts from now on.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _batches, 0);
        Interlocked.Exchange(ref _items, 0);
    }

    public double MeanBatch
    {
        get
        {
            var batches = Interlocked.Read(ref _batches);
            return batches == 0 ? double.NaN : (double)Interlocked.Read(ref _items) / batches;
        }
    }

    public void Dispose() => _listener.Dispose();
}
