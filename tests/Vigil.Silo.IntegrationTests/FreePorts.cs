
namespace Vigil.Silo.IntegrationTests;

internal static class FreePorts
{
    /// <summary>A loopback port the OS just handed out, never one handed out before in this process (<see cref="Vigil.Testing.LoopbackPorts"/>).</summary>
    public static int Next() => Vigil.Testing.LoopbackPorts.Next();
}
