namespace Vigil.Cli.Tests;

public sealed class InfoCommandTests
{
    [Fact]
    public async Task Info_reports_a_loaded_torch_runtime()
    {
        var result = await CliHarness.RunAsync("info");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Matches("libLibTorchSharp: (LoadedAsShipped|LoadedPatchedCopy)", result.StdOut);
        Assert.Contains("device (auto):", result.StdOut);
        // vigil.runtimeconfig.json switches dynamic PGO off (Vigil.Cli.csproj); a fresh process must run with it.
        Assert.Contains("runtime:          workstation GC, tiered PGO off", result.StdOut);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("native heap:      glibc malloc: mmap threshold 32 MiB, trim threshold 64 MiB", result.StdOut);
            Assert.Contains("nnpack:           NNPACK off", result.StdOut);
        }
    }

    [Fact]
    public async Task Unknown_command_fails_with_non_zero_exit()
    {
        var result = await CliHarness.RunAsync("no-such-command");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no-such-command", result.StdErr);
    }
}
