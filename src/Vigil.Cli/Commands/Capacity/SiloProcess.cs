using System.Diagnostics;
using System.Runtime.InteropServices;
using Vigil.Shared;

namespace Vigil.Cli.Commands.Capacity;

/// <summary>
/// A fresh embedded silo as a child process (<c>dotnet Vigil.Silo.dll --simulate 0</c>) on free loopback ports with
/// its own operator key and its console in a log file. Disposing stops it: SIGTERM, then a kill after a timeout; a
/// handler on process exit kills it too, so no silo outlives the bench (Ctrl+C, failure or a crash of the bench).
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;
    private readonly EventHandler _onExit;

    private SiloProcess(Process process, StreamWriter log, Task pumps, Uri address, string logPath)
    {
        _process = process;
        _log = log;
        _pumps = pumps;
        Address = address;
        LogPath = logPath;
        _onExit = (_, _) => KillNow();
        AppDomain.CurrentDomain.ProcessExit += _onExit;
    }

    public Uri Address { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;

    public static SiloProcess Start(string siloDll, string modelsPath, string operatorKey, string logPath)
    {
        int http = LoopbackPorts.Next(), silo = LoopbackPorts.Next(), gateway = LoopbackPorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(siloDll)!,
        };
        start.ArgumentList.Add(siloDll);
        foreach (var arg in new[]
        {
            "--simulate", "0",
            $"--Vigil:Http:Urls=http://127.0.0.1:{http}",
            $"--Vigil:Orleans:SiloPort={silo}",
            $"--Vigil:Orleans:GatewayPort={gateway}",
            $"--Vigil:Clustering:ClusterId=capacity-{Guid.NewGuid():N}",
            $"--Vigil:Models:Path={modelsPath}",
            "--Vigil:Shutdown:TimeoutSeconds=15",
        }) start.ArgumentList.Add(arg);
        // The key goes by environment, not argument: other users of the machine can read a process's arguments.
        start.Environment["Vigil__Auth__OperatorKey"] = operatorKey;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new CliUserException($"could not start 'dotnet {siloDll}'.");
        var pumps = Task.WhenAll(Pump(process.StandardOutput, log), Pump(process.StandardError, log));
        return new SiloProcess(process, log, pumps, new Uri($"http://127.0.0.1:{http}/"), logPath);
    }

    /// <summary>Polls <c>/readyz</c> until 200; fails with the log's path when the silo exits or the time runs out.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new CliUserException($"the silo exited with code {_process.ExitCode} before it was ready; its log: {LogPath}");
            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, probe.Token);
                using var response = await http.GetAsync(new Uri(Address, "readyz"), linked.Token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }
            if (clock.Elapsed > timeout)
                throw new CliUserException($"the silo was not ready (GET /readyz) within {timeout.TotalSeconds:F0} s; its log: {LogPath}");
            await Task.Delay(250, ct);
        }
    }

    public ProcessSample Sample()
    {
        if (_process.HasExited) throw new CliUserException($"the silo exited with code {_process.ExitCode} during the run; its log: {LogPath}");
        return ProcessSample.Read(_process.Id);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = SendSigterm(_process.Id);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try { await _process.WaitForExitAsync(grace.Token); }
                catch (OperationCanceledException) { KillNow(); }
            }
            await _process.WaitForExitAsync();
            await _pumps;
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= _onExit;
            await _log.DisposeAsync();
            _process.Dispose();
        }
    }

    private void KillNow()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    private static async Task Pump(StreamReader from, StreamWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            lock (to) to.WriteLine(line);
        }
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static bool SendSigterm(int pid)
    {
        try { return Kill(pid, Sigterm) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }
}
