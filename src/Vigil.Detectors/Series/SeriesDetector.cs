using TorchSharp;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using static TorchSharp.torch;

namespace Vigil.Detectors.Series;

/// <summary>
/// <see cref="ISeriesDetector"/> over a <see cref="SeriesModel"/>: one input tensor per batch, copied straight from
/// the caller's span, one forward pass, errors copied straight back; every tensor lives in a dispose scope.
/// </summary>
public sealed class SeriesDetector : ISeriesDetector
{
    private readonly Lock gate = new();
    private readonly SeriesModel model;
    private bool disposed;

    public SeriesDetector(SeriesModel model, BundleManifest manifest)
    {
        this.model = model;
        Manifest = manifest;
        model.Network.eval();
    }

    public BundleManifest Manifest { get; }
    public int InputLength => model.InputLength;
    public int Channels => model.Channels;
    public int Window => model.Window;
    public int Horizon => model.Horizon;
    public string Kind => model.Kind;
    public Device Device => model.Device;

    /// <summary>The network itself, for fine-tuning a copy (<see cref="SeriesModel.Clone"/>) or counting FLOPs.</summary>
    public SeriesModel Model => model;

    public void ScoreBatch(ReadOnlySpan<float> inputs, int batch, Span<float> rawErrors)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be positive.");
        TorchThreads.ApplyToCurrentThread();
        var values = batch * InputLength * Channels;
        if (inputs.Length < values)
            throw new ArgumentException($"inputs hold {inputs.Length} values; {batch} items × {InputLength} steps × {Channels} channels need {values}.", nameof(inputs));
        if (rawErrors.Length < batch)
            throw new ArgumentException($"rawErrors holds {rawErrors.Length} values; the batch has {batch} items.", nameof(rawErrors));

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var scope = NewDisposeScope();
            // Inference mode, not just no_grad: no version counters or views tracked for autograd on the hot path.
            using var inference = inference_mode();
            var host = empty([batch, InputLength, Channels], ScalarType.Float32);
            host.data<float>().CopyFrom(inputs[..values], 0, 0);
            var items = model.Device.type == DeviceType.CPU ? host : host.to(model.Device);
            var errors = model.Errors(items);
            if (errors.device_type != DeviceType.CPU) errors = errors.cpu();
            errors.data<float>().CopyTo(rawErrors[..batch], 0, 0);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            model.Dispose();
        }
    }
}
