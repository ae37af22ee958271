using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vigil.Silo.IntegrationTests;

/// <summary>
/// A real <c>redis-server</c> with persistence on (append-only file, fsync on every write), as a Redis that holds
/// grain state should run, on a free loopback port and its own temp folder. It can be killed and started again on
/// the same port and folder, so a Redis restart under load can be tested; killed and removed on dispose.
/// </summary>
internal sealed class DurableRedis : IAsyncDisposable
{
    private readonly string _folder;
    private Process? _process;

    private DurableRedis(string folder, int port) => (_folder, Port) = (folder, port);

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<DurableRedis> StartAsync()
    {
        // Another process may take the free port between the probe and redis-server's bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var redis = new DurableRedis(Directory.CreateTempSubdirectory("vigil-redis-aof-").FullName, LoopbackPorts.Next());
            try
            {
                await redis.RunAsync();
                return redis;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await redis.DisposeAsync();
            }
        }
    }

    /// <summary>SIGKILL: the server dies without a chance to save anything beyond what it already fsynced.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Starts the server again on the same port and folder; it reloads the append-only file.</summary>
    public Task RestartAsync() => RunAsync();

    private async Task RunAsync()
    {
        await KillAsync();
        _process?.Dispose();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _folder,
                "--appendonly", "yes", "--appendfsync", "always", "--save", "",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed (apt-get install -y redis-server; .ci/run does this).", e);
        }

        _ = _process.StandardOutput.ReadToEndAsync();
        _ = _process.StandardError.ReadToEndAsync();
        // Listening is not enough: while it loads the append-only file Redis answers LOADING; PING says it is done.
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline && !_process.HasExited; await Task.Delay(50))
        {
            if (await PingAsync())
            {
                return;
            }
        }

        throw new InvalidOperationException($"redis-server did not answer PING on 127.0.0.1:{Port} within 15 s (or exited: port taken?).");
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            return read >= 5 && buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process?.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
