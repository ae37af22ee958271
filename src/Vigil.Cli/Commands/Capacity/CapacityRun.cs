using System.Diagnostics;
using System.Globalization;
using Vigil.Access;
using Vigil.Simulation;

namespace Vigil.Cli.Commands.Capacity;

/// <summary>
/// One fleet size: a fresh silo, its idle memory once ready, then <c>vigil simulate</c>'s load (the same
/// <see cref="LoadRunner"/>, in this process) for warm-up + duration, with the silo's CPU time and RSS read at the
/// start and end of the measured window.
/// </summary>
public sealed class CapacityRun(CapacitySettings settings, string siloDll, string modelsPath, FrameMosaics frames, string logFolder)
{
    public async Task<CapacityRow> MeasureAsync(int homes, CancellationToken ct)
    {
        var spec = new FleetSpec
        {
            Homes = homes, DevicesPerHome = settings.DevicesPerHome, CamerasPerHome = settings.CamerasPerHome,
            Rate = settings.Rate, FrameIntervalSeconds = settings.FrameIntervalSeconds,
            // The load outlasts the window by a few ticks, so the window closes on a steady load rather than a stopping one.
            DurationSeconds = settings.WarmupSeconds + settings.DurationSeconds + TailSeconds(settings.Rate), WarmupSeconds = settings.WarmupSeconds,
            Seed = settings.Seed,
        };
        var fleet = new HomeFleet(spec);
        var key = ApiKeyFormat.Create(null, DateTimeOffset.UtcNow).Key;
        var logPath = Path.Combine(logFolder, $"silo-{homes}-homes.log");

        Say(homes, $"starting a fresh silo ({fleet.Devices.Count} sensors, {fleet.Cameras.Count} cameras); log {logPath}");
        await using var silo = SiloProcess.Start(siloDll, modelsPath, key, logPath);
        using var probe = new WindowProbe(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        using var http = new HttpClient(probe, disposeHandler: false) { BaseAddress = silo.Address, Timeout = TimeSpan.FromSeconds(30) };

        await silo.WaitReadyAsync(http, TimeSpan.FromSeconds(180), ct);
        // A moment for start-up work that outlives /readyz (JIT of the first requests' code is part of the load).
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        var idleStart = silo.Sample();
        await Task.Delay(TimeSpan.FromSeconds(IdleSeconds), ct);
        var idle = silo.Sample();
        Say(homes, string.Create(CultureInfo.InvariantCulture, $"ready (pid {silo.Pid}, idle RSS {idle.RssBytes / 1048576.0:F0} MB); warm-up {settings.WarmupSeconds:F0} s, then {settings.DurationSeconds:F0} s measured"));

        var runner = new LoadRunner(http, fleet, frames, new LoadOptions { ApiKey = key });
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var clock = Stopwatch.StartNew();
        long lastDropped = 0;
        var load = runner.RunAsync(new Progress<LoadProgress>(p =>
        {
            Interlocked.Exchange(ref lastDropped, p.Dropped);
            Progress(homes, p);
        }), stopLoad.Token);
        try
        {
            await WaitOrFailAsync(load, TimeSpan.FromSeconds(settings.WarmupSeconds), ct);
            var start = silo.Sample();
            var bench = Process.GetCurrentProcess().TotalProcessorTime;
            probe.Open();
            var windowClock = Stopwatch.StartNew();
            await WaitOrFailAsync(load, TimeSpan.FromSeconds(settings.DurationSeconds), ct);
            var window = probe.Close();
            var end = silo.Sample();
            var windowSeconds = windowClock.Elapsed.TotalSeconds;
            var benchCpu = (Process.GetCurrentProcess().TotalProcessorTime - bench).TotalSeconds;

            long dropped;
            try
            {
                dropped = (await load).Dropped;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !ct.IsCancellationRequested)
            {
                // The window is measured; what failed is the load's read-back of alerts afterwards (an overloaded
                // silo can time out on it). The readings' fate is known from the load's last progress report.
                await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
                dropped = Interlocked.Read(ref lastDropped);
                Say(homes, $"the load's alert read-back after the window failed ({e.Message}); dropped taken from its last progress report");
            }
            var row = new CapacityRow(homes, fleet.Devices.Count, fleet.Cameras.Count, windowSeconds, window, dropped, idleStart, idle, start, end,
                100 * benchCpu / (windowSeconds * Environment.ProcessorCount));
            Say(homes, string.Create(CultureInfo.InvariantCulture,
                $"{row.ReadingsPerSecond:F0} readings/s, {row.FramesPerSecond:F1} frames/s, p99 {row.Window.P99Ms:F1} ms, {row.CpuMicrosPerReading:F1} µs CPU/reading, run {clock.Elapsed.TotalSeconds:F0} s; stopping the silo"));
            return row;
        }
        finally
        {
            await stopLoad.CancelAsync();
            try { await load; }
            catch (OperationCanceledException) { }
            catch (HttpRequestException) { }
        }
    }

    /// <summary>Seconds the ready silo is watched without load, for its background CPU.</summary>
    private const double IdleSeconds = 5;

    private static double TailSeconds(double rate) => Math.Max(3, 3 / rate);

    /// <summary>Waits <paramref name="time"/>, failing at once if the load stopped early (it must outlast the window).</summary>
    private static async Task WaitOrFailAsync(Task<LoadReport> load, TimeSpan time, CancellationToken ct)
    {
        var delay = Task.Delay(time, ct);
        if (await Task.WhenAny(load, delay) == load)
        {
            await load; // throws its failure, if any
            throw new InvalidOperationException("the load ended before the measured window did");
        }
        await delay;
    }

    private static void Progress(int homes, LoadProgress p)
    {
        // Every 5 s: enough to see it moving without drowning the table.
        if ((int)Math.Round(p.ElapsedSeconds) % 5 != 0) return;
        Say(homes, string.Create(CultureInfo.InvariantCulture,
            $"{p.ElapsedSeconds,5:F0}/{p.DurationSeconds:F0} s  readings {p.ReadingsAccepted,9}  frames {p.FramesAccepted,7}  dropped {p.Dropped,5}  lag {p.LagSeconds,4:F1} s"));
    }

    private static void Say(int homes, string what) => Console.Error.WriteLine($"bench capacity: {homes} homes: {what}");
}
