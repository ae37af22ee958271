using System.Net;
using System.Net.Sockets;

namespace Vigil.Testing;

/// <summary>
/// Free loopback ports for silos, gateways and Redis servers a test starts, never the same one twice in a test process:
/// the OS may hand a just-closed port out again at once (a CI run once got one port for a silo's SiloPort and
/// GatewayPort, which the silo rightly refused). One file, linked into every test project that starts servers.
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
