using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port with its own temp folder, no persistence; killed and removed on
/// dispose. One file, linked into every test project that needs a Redis (see tests/Shared). Optionally with a password
/// (<c>requirepass</c>) and TLS only (no plain port), for the tests of the silo's Redis credentials.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private RedisServer(Process process, string folder, int port) => (_process, _folder, Port) = (process, folder, port);

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static Task<RedisServer> StartAsync() => StartAsync(password: null, tls: null);

    /// <param name="password">Clients must AUTH with it.</param>
    /// <param name="tls">PEM files: the server's certificate and key, and the CA clients are checked against
    /// (clients need no certificate). The port then speaks TLS only.</param>
    public static async Task<RedisServer> StartAsync(string? password, (string CertFile, string KeyFile, string CaFile)? tls = null)
    {
        var folder = Directory.CreateTempSubdirectory("vigil-redis-").FullName;
        var port = LoopbackPorts.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] portArgs = tls is { } t
            ? ["--port", "0", "--tls-port", port.ToString(), "--tls-cert-file", t.CertFile, "--tls-key-file", t.KeyFile,
               "--tls-ca-cert-file", t.CaFile, "--tls-auth-clients", "no"]
            : ["--port", port.ToString()];
        foreach (var arg in portArgs.Concat(["--bind", "127.0.0.1", "--dir", folder, "--save", "", "--appendonly", "no"]))
        {
            start.ArgumentList.Add(arg);
        }

        if (password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(password);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Directory.Delete(folder, recursive: true);
            throw new InvalidOperationException("redis-server is not installed (apt-get install -y redis-server; .ci/run does this).", e);
        }

        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var server = new RedisServer(process, folder, port);
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline && !process.HasExited; await Task.Delay(50))
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return server;
            }
            catch (SocketException)
            {
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"redis-server did not listen on 127.0.0.1:{port} within 10 s (or exited: port taken?).");
    }


    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
