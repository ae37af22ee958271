using System.Net;
using System.Net.Sockets;

namespace Vigil.Shared;

/// <summary>
/// Free loopback ports for the silos, gateways and Redis servers a process starts (the CLI's bench silos, the tests),
/// never the same one twice in that process: the OS may hand a just-closed port out again at once (a CI run once got
/// one port for a silo's SiloPort and GatewayPort, which the silo rightly refused). One file, linked into the CLI and
/// into every test project that starts servers (the CLI's tests take the CLI's).
/// </summary>
internal static class LoopbackPorts
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port)) return port;
            }
        }
    }
}
