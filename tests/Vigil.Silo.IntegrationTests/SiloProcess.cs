using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Vigil.Silo.IntegrationTests;

/// <summary>
/// A real <c>dotnet Vigil.Silo.dll</c> process configured through <c>Vigil__*</c> environment variables, with the
/// test run's operator key; its output kept for the failure message; killed (the whole tree) on dispose.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    /// <summary>The environment of a silo process that clusters and stores grain state through the given Redis.</summary>
    public static Dictionary<string, string> RedisClusterSettings(string redisConnectionString, string clusterId) => new()
    {
        ["Vigil__Clustering__Mode"] = "Redis",
        ["Vigil__Clustering__ClusterId"] = clusterId,
        ["Vigil__Redis__ConnectionString"] = redisConnectionString,
        ["Vigil__Orleans__SiloPort"] = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture),
        ["Vigil__Orleans__GatewayPort"] = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture),
        ["Vigil__Orleans__AdvertisedIP"] = "127.0.0.1",
        ["Vigil__Silo__Accelerator"] = "true",
        ["Vigil__Models__Path"] = TestRepo.Models,
        ["Vigil__Simulator__Homes"] = "0",
    };


    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(string name, Process process, int httpPort, int? siloPort)
    {
        Name = name;
        _process = process;
        HttpPort = httpPort;
        SiloPort = siloPort;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add(TestKeys.Header, TestKeys.Operator);
    }

    public string Name { get; }

    public int HttpPort { get; }

    /// <summary>Orleans silo port when the settings name one; a grain's silo address is <c>127.0.0.1:{SiloPort}@…</c>.</summary>
    public int? SiloPort { get; }

    public HttpClient Client { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output => string.Join('\n', _output.TakeLast(80));

    /// <summary>Every line kept (the last 400), for assertions on what the silo logged.</summary>
    public IReadOnlyList<string> Lines => [.. _output];

    /// <summary>Whether a device snapshot's <c>silo</c> (<c>ip:port@generation</c>) names this process.</summary>
    public bool Hosts(string? siloAddress) =>
        SiloPort is { } port && siloAddress is not null
        && siloAddress.Contains(string.Create(CultureInfo.InvariantCulture, $":{port}@"), StringComparison.Ordinal);

    public static SiloProcess Start(string name, IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var silo = Path.Combine(AppContext.BaseDirectory, "Vigil.Silo.dll");
        var httpPort = LoopbackPorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(silo);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Vigil__Http__Urls"] = $"http://127.0.0.1:{httpPort}";
        start.Environment["Vigil__Auth__OperatorKey"] = TestKeys.Operator;
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        int? siloPort = settings.TryGetValue("Vigil__Orleans__SiloPort", out var port) ? int.Parse(port, CultureInfo.InvariantCulture) : null;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {silo}.");
        var result = new SiloProcess(name, process, httpPort, siloPort);
        process.OutputDataReceived += (_, e) => result.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => result.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Waits for <c>/healthz</c> (silo joined, HTTP up) or fails with the silo's own output.</summary>
    public async Task WaitHealthyAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Silo {Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync("/healthz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Silo {Name} was not healthy within {within.TotalSeconds} s:\n{Output}");
    }

    /// <summary>SIGKILL: no graceful hand-off, the crash the state must survive.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, what Kubernetes sends a pod it stops: the silo's graceful shutdown.</summary>
    public void Terminate()
    {
        if (_process.HasExited)
        {
            return;
        }

        // The shell's kill builtin: a slim image may have no /bin/kill.
        using var kill = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", $"kill -TERM {_process.Id.ToString(CultureInfo.InvariantCulture)}" } })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed with {kill.ExitCode}.");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 400 && _output.TryDequeue(out _))
        {
        }
    }
}
