using System.Runtime;

namespace Vigil.Silo.Hosting;

/// <summary>
/// The .NET runtime settings that decide a silo's throughput in its first minutes: garbage collector mode and
/// dynamic PGO (off in the silo and CLI project files; see Vigil.Silo.csproj). Logged at silo start and printed by
/// <c>vigil info</c>, so an operator sees what the process actually runs with, environment overrides included.
/// </summary>
public static class JitAndGcSettings
{
    public static string Describe() =>
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, tiered PGO {(TieredPgoEnabled() ? "on" : "off")}";

    /// <summary>DOTNET_TieredPGO (or the older COMPlus_ name) overrides the runtimeconfig property; the default is on.</summary>
    public static bool TieredPgoEnabled()
    {
        foreach (var name in (string[])["DOTNET_TieredPGO", "COMPlus_TieredPGO"])
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) return value.Trim() != "0";
        }
        return AppContext.GetData("System.Runtime.TieredPGO") is not { } configured
               || !string.Equals(configured.ToString(), "false", StringComparison.OrdinalIgnoreCase);
    }
}
