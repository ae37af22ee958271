namespace Vigil.Silo.IntegrationTests;

/// <summary>The failure-handling settings are validated at start like every other: a bad value stops the silo with
/// exit code 2 and a line naming the key, before it joins any cluster.</summary>
public sealed class ShutdownAndMembershipSettingsTests
{
    [Theory(Timeout = 120_000)]
    [InlineData("Vigil__Orleans__Membership__ProbeTimeoutSeconds", "0", "Vigil:Orleans:Membership:ProbeTimeoutSeconds must be a positive number")]
    [InlineData("Vigil__Orleans__Membership__NumVotesForDeathDeclaration", "5", "Vigil:Orleans:Membership:NumVotesForDeathDeclaration (5) must not exceed Vigil:Orleans:Membership:NumProbedSilos (3)")]
    [InlineData("Vigil__Shutdown__TimeoutSeconds", "0", "Vigil:Shutdown:TimeoutSeconds must be between 1 and 3600")]
    [InlineData("Vigil__Shutdown__TimeoutSeconds", "soon", "Vigil:Shutdown:TimeoutSeconds")]
    public async Task A_bad_value_stops_the_silo_at_start_naming_the_key(string key, string value, string message)
    {
        await using var silo = SiloProcess.Start("misconfigured", new Dictionary<string, string>
        {
            [key] = value,
            ["Vigil__Simulator__Homes"] = "0",
            ["Vigil__Orleans__SiloPort"] = LoopbackPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vigil__Orleans__GatewayPort"] = LoopbackPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Assert.Equal(2, await silo.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains(message, silo.Output);
    }
}
