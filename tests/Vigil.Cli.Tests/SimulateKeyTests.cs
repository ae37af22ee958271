using Vigil.Access;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil simulate --key</c> against a real embedded silo with access control on.</summary>
public sealed class SimulateKeyTests
{
    [Fact]
    public async Task Simulate_says_which_key_is_missing_or_wrong_and_runs_with_the_operator_key()
    {
        var folder = Directory.CreateTempSubdirectory("vigil-simulate-keys-").FullName;
        var keyFile = Path.Combine(folder, "keys.json");
        var (operatorKey, _) = ApiKeyFormat.Create(null, DateTimeOffset.UtcNow);
        var (homeKey, homeRecord) = ApiKeyFormat.Create("sim-home-0001", DateTimeOffset.UtcNow);
        await new FileApiKeyStore(keyFile).AddAsync(homeRecord);
        try
        {
            // Stopped at the end of this block, before its key file is deleted.
            await using var silo = await EmbeddedSilo.StartAsync("simulate-keys", $"--Vigil:Auth:OperatorKey={operatorKey}", $"--Vigil:Auth:KeyFile={keyFile}");
            var target = silo.Url;
            string[] run = ["simulate", "--target", target, "--homes", "1", "--devices-per-home", "1", "--cameras-per-home", "0",
                "--duration", "1", "--warmup", "0"];

            var none = await CliHarness.RunAsync(run);
            Assert.Equal(1, none.ExitCode);
            Assert.Contains("needs an API key", none.StdErr);

            var wrong = await CliHarness.RunAsync([.. run, "--key", ApiKeyFormat.Create(null, DateTimeOffset.UtcNow).Key]);
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("refused the key", wrong.StdErr);

            var home = await CliHarness.RunAsync([.. run, "--key", homeKey]);
            Assert.Equal(1, home.ExitCode);
            Assert.Contains("is a home key", home.StdErr);

            var ok = await CliHarness.RunAsync([.. run, "--key", operatorKey]);
            Assert.True(ok.ExitCode == 0, ok.StdErr);
            Assert.DoesNotContain("×401", ok.StdOut);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
