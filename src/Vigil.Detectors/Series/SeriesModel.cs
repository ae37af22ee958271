using TorchSharp;
using Vigil.Detectors.Bundles;
using static TorchSharp.torch;

namespace Vigil.Detectors.Series;

/// <summary>
/// A time-series network together with what its output means: for <c>lstm-dcnn</c> each item is
/// <c>window + horizon</c> readings and the error is the forecast's mean absolute error over the horizon; for the
/// <c>autoencoder</c> each item is <c>window</c> readings and the error is the reconstruction MAE.
/// Items are <c>[batch, InputLength, Channels]</c> tensors, already standardised.
/// </summary>
public sealed class SeriesModel : IDisposable
{
    private SeriesModel(string kind, SeriesHyperparameters hp, nn.Module<Tensor, Tensor> network, Device device)
    {
        Kind = kind;
        Hyperparameters = hp;
        Network = network;
        Device = device;
    }

    public string Kind { get; }
    public SeriesHyperparameters Hyperparameters { get; }
    public nn.Module<Tensor, Tensor> Network { get; }
    public Device Device { get; private set; }

    /// <summary>Moves the weights (e.g. loaded on the CPU) to <paramref name="device"/>.</summary>
    public void MoveTo(Device device)
    {
        Network.to(device);
        Device = device;
    }

    public int Window => Hyperparameters.Window;
    public int Horizon => Hyperparameters.Horizon;
    public int Channels => Hyperparameters.Channels;
    public int InputLength => Hyperparameters.Window + Hyperparameters.Horizon;

    public static bool IsSeriesKind(string kind) => kind is DetectorKinds.LstmDcnn or DetectorKinds.Autoencoder;

    /// <summary>A freshly initialised network (seeded from the hyperparameters, so the same settings give the same model).</summary>
    public static SeriesModel Create(string kind, SeriesHyperparameters hp, Device device)
    {
        Runtime.TorchRuntime.EnsureInitialised();
        hp.Validate(kind);
        torch.manual_seed(hp.Seed);
        nn.Module<Tensor, Tensor> network = kind switch
        {
            DetectorKinds.LstmDcnn => new LstmDcnnNetwork(hp),
            DetectorKinds.Autoencoder when hp.Architecture == SeriesHyperparameters.LstmArchitecture => new LstmAutoencoderNetwork(hp),
            DetectorKinds.Autoencoder => new ConvAutoencoderNetwork(hp),
            _ => throw new ArgumentException($"'{kind}' is not a time-series detector kind (lstm-dcnn, autoencoder)."),
        };
        network.to(device);
        return new SeriesModel(kind, hp, network, device);
    }

    /// <summary>What the network produces for the items and what it should have produced.</summary>
    public (Tensor Prediction, Tensor Target) Predict(Tensor items)
    {
        if (Kind == DetectorKinds.Autoencoder) return (Network.forward(items), items);
        var window = items[.., ..Window, ..];
        var target = items[.., Window.., ..];
        return (Network.forward(window), target);
    }

    /// <summary>One raw error per item, <c>[batch]</c>.</summary>
    public Tensor Errors(Tensor items)
    {
        var (prediction, target) = Predict(items);
        var steps = Hyperparameters.ScoredSteps;
        // Only the scored steps are compared (not the whole window, then cut): fewer elements on the hot path.
        if (Kind == DetectorKinds.Autoencoder && steps > 0 && steps < Window)
            (prediction, target) = (prediction[.., ^steps.., ..], target[.., ^steps.., ..]);
        return (prediction - target).abs().mean([1, 2]);
    }

    /// <summary>Training objective: mean squared error, as the seeds train.</summary>
    public Tensor Loss(Tensor items)
    {
        var (prediction, target) = Predict(items);
        return nn.functional.mse_loss(prediction, target);
    }

    public void SaveWeights(string path) => Network.save(path);

    public void LoadWeights(string path) => Network.load(path, strict: true);

    /// <summary>An independent copy (same weights) that can be fine-tuned without touching this one; with
    /// <paramref name="scoredSteps"/>, a copy whose raw error covers that many newest readings instead (autoencoder).</summary>
    public SeriesModel Clone(int? scoredSteps = null)
    {
        var copy = Create(Kind, scoredSteps is { } steps ? Hyperparameters with { ScoredSteps = steps } : Hyperparameters, Device);
        byte[] weights;
        using (var written = new MemoryStream())
        {
            Network.save(written);  // closes the stream
            weights = written.ToArray();
        }
        using var read = new MemoryStream(weights);
        copy.Network.load(read, strict: true);
        return copy;
    }

    public void Dispose() => Network.Dispose();
}
