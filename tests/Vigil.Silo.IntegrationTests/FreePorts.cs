using System.Net;
using System.Net.Sockets;

namespace Vigil.Silo.IntegrationTests;

internal static class FreePorts
{
    /// <summary>A port the OS just handed out on loopback; free unless something grabs it in the next moments.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
