using Vigil.Detectors.Bundles;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;

namespace Vigil.Cli.Commands;

/// <summary>
/// One detector in <c>vigil bench detectors</c>: its forward FLOPs per item and, per batch size, an action that scores
/// one batch from buffers prepared once (so the timing is the detector, not the benchmark's allocations).
/// </summary>
public sealed class DetectorBenchCase(string name, double forwardFlopsPerItem, Func<int, Action> prepareBatch, IDisposable? owned = null) : IDisposable
{
    public string Name { get; } = name;
    public double ForwardFlopsPerItem { get; } = forwardFlopsPerItem;
    public Func<int, Action> PrepareBatch { get; } = prepareBatch;

    public void Dispose() => owned?.Dispose();
}

/// <summary>The rows of <c>vigil bench detectors</c>.</summary>
public static class DetectorBenchCases
{
    /// <summary>
    /// Other detector families add their rows here (one line each in <see cref="All"/>'s caller or via this list):
    /// each provider gets the models folder and the device and yields its cases.
    /// </summary>
    public static readonly List<Func<string, string, IEnumerable<DetectorBenchCase>>> Providers =
    [
        // One provider per series kind, so a folder holding only one of them still measures it.
        (models, device) => SeriesCases(models, device, DetectorKinds.LstmDcnn),
        (models, device) => SeriesCases(models, device, DetectorKinds.Autoencoder),
        FrameBenchCases.Provider,
    ];

    public static IEnumerable<DetectorBenchCase> All(string modelsPath, string device) =>
        Providers.SelectMany(p => p(modelsPath, device));

    /// <summary>Both series kinds (lstm-dcnn, then autoencoder).</summary>
    internal static IEnumerable<DetectorBenchCase> SeriesCases(string modelsPath, string device) =>
        SeriesCases(modelsPath, device, DetectorKinds.LstmDcnn).Concat(SeriesCases(modelsPath, device, DetectorKinds.Autoencoder));

    internal static IEnumerable<DetectorBenchCase> SeriesCases(string modelsPath, string device, string kind)
    {
        var detector = (SeriesDetector)DetectorLoader.LoadSeries(Path.Combine(modelsPath, kind), device);
        var flops = SeriesFlops.Forward(kind, detector.Model.Hyperparameters);
        yield return new DetectorBenchCase(kind, flops, batch =>
        {
            var random = new Random(1);
            var inputs = new float[batch * detector.InputLength * detector.Channels];
            for (var i = 0; i < inputs.Length; i++) inputs[i] = (float)(random.NextDouble() * 2 - 1);
            var errors = new float[batch];
            return () => detector.ScoreBatch(inputs, batch, errors);
        }, detector);
    }
}
