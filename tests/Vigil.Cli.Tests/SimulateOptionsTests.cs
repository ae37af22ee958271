namespace Vigil.Cli.Tests;

/// <summary><c>vigil simulate</c> refuses a bad option before sending anything.</summary>
public sealed class SimulateOptionsTests
{
    [Fact]
    public async Task An_unknown_camera_scene_kind_is_refused_naming_the_choices()
    {
        // No silo listens on the target: the option must be refused before any request.
        var result = await CliHarness.RunAsync(["simulate", "--target", "http://127.0.0.1:9", "--camera-scenes", "sideways"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("sideways", result.StdErr);
        Assert.Contains("fixed", result.StdErr);
        Assert.Contains("random", result.StdErr);
    }
}
