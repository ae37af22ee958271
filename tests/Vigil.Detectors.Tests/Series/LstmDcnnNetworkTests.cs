using TorchSharp;
using TorchSharp.Modules;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Series;

public sealed class LstmDcnnNetworkTests
{
    /// <summary>
    /// The DCNN pads the past only. The shipped bundle was trained with the earlier form (each dilated layer padded both
    /// ends by 2·d and its first `window` outputs kept); this writes that form out with the bundle's own weights and
    /// asserts the network still computes it, so the faster form changed no score.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void The_past_only_padding_computes_what_the_both_ends_form_computed(int batch)
    {
        TorchRuntime.EnsureInitialised();
        using var detector = (SeriesDetector)DetectorLoader.LoadSeries(Path.Combine(TestRepo.Root, "models", DetectorKinds.LstmDcnn), "cpu");
        var network = detector.Model.Network;
        var hp = detector.Model.Hyperparameters;
        var parts = network.named_children().ToDictionary(p => p.name, p => p.module);
        var lstm = (LSTM)parts["lstm"];
        var dilated = (ModuleList<Conv1d>)parts["dilated"];
        var (hidden, output) = ((Linear)parts["hidden"], (Linear)parts["output"]);

        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        torch.manual_seed(3);
        var window = randn(batch, hp.Window, hp.Channels).cumsum(1);

        var last = window[.., ^1.., ..];
        var x = window - last;
        var (sequence, _, _) = lstm.forward(x);
        var h = x.transpose(1, 2);
        for (var i = 0; i < hp.Dilations.Length; i++)
        {
            var d = hp.Dilations[i];
            h = nn.functional.relu(nn.functional.conv1d(h, dilated[i].weight!, dilated[i].bias, padding: 2 * d, dilation: d)[.., .., ..hp.Window]);
        }
        var merged = cat([sequence[.., -1, ..], h[.., .., -1], h.mean([2])], 1);
        var expected = output.forward(nn.functional.relu(hidden.forward(merged))).reshape(batch, hp.Horizon, hp.Channels) + last;

        var actual = network.forward(window);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True((expected - actual).abs().max().item<float>() < 1e-5f);
    }
}
