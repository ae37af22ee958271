using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Vigil.Grains.Options;

namespace Vigil.Grains.Tests;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(new BatchingOptions().Validate());
        Assert.Empty(new ModelsOptions().Validate());
        Assert.Empty(new ScoringOptions().Validate());
        Assert.Empty(new AlertOptions().Validate());
        Assert.Empty(new ModelDeviceOptions().Validate());
    }

    [Fact]
    public async Task A_silo_with_bad_settings_refuses_to_start_and_names_every_problem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Batching:MaxBatchSize"] = "0",
            ["Vigil:Batching:MaxQueueDelayMs"] = "-1",
            ["Vigil:Scoring:Detector"] = "magic",
            ["Vigil:Scoring:Stride"] = "100",
            ["Vigil:Scoring:RaiseAfter"] = "0",
            ["Vigil:Scoring:FalseAlertsPerDay"] = "0",
            ["Vigil:Scoring:CameraFalseAlertsPerDay"] = "-1",
            ["Vigil:Silo:Device"] = "tpu",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering().AddVigilGrains(configuration));
        using var host = builder.Build();

        // Options are validated before any hosted service starts, so no port is opened here; one failure per section.
        var error = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        var message = string.Join("\n", error.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures));
        Assert.Contains("Vigil:Batching:MaxBatchSize must be 1..4096 (is 0)", message);
        Assert.Contains("Vigil:Batching:MaxQueueDelayMs", message);
        Assert.Contains("Vigil:Scoring:Detector must be lstm-dcnn, autoencoder or ensemble (is 'magic')", message);
        Assert.Contains("Vigil:Scoring:Stride", message);
        Assert.Contains("Vigil:Scoring:RaiseAfter must be 1..3600 (is 0)", message);
        Assert.Contains("Vigil:Scoring:FalseAlertsPerDay must be in (0, 86400] (is 0)", message);
        Assert.Contains("Vigil:Scoring:CameraFalseAlertsPerDay must be in (0, 86400] (is -1)", message);
        Assert.Contains("Vigil:Silo:Device", message);
    }
}
