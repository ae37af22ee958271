using System.CommandLine;
using System.Globalization;
using Vigil.Cli.Commands.Capacity;
using Vigil.Simulation;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil bench capacity</c>: the capacity report. For each fleet size a fresh embedded silo runs as a child process
/// and takes <c>vigil simulate</c>'s load; its CPU time and RSS come from <c>/proc</c> over the measured window. Prints
/// a table, writes <c>&lt;out&gt;.csv</c> and <c>&lt;out&gt;.png</c>, and ends with one summary line.
/// </summary>
public static class BenchCapacityCommand
{
    public static Command Create()
    {
        var homes = new Option<string>("--homes") { Description = "Fleet sizes, comma-separated; each on a fresh silo.", DefaultValueFactory = _ => "100,1000,5000" };
        var duration = new Option<double>("--duration") { Description = "Measured seconds per size.", DefaultValueFactory = _ => 60 };
        var warmup = new Option<double>("--warmup")
        {
            Description = "Unmeasured seconds of load before the window; at least the detectors' window (60 readings) so every measured reading is scored.",
            DefaultValueFactory = _ => 70,
        };
        var devices = new Option<int>("--devices-per-home") { Description = "Sensors per home.", DefaultValueFactory = _ => 6 };
        var cameras = new Option<int>("--cameras-per-home") { Description = "Cameras per home.", DefaultValueFactory = _ => 1 };
        var rate = new Option<double>("--rate") { Description = "Readings per second per sensor.", DefaultValueFactory = _ => 1 };
        var frameInterval = new Option<double>("--frame-interval") { Description = "Seconds between two frames of a camera (0 = none).", DefaultValueFactory = _ => 10 };
        var silo = new Option<string?>("--silo") { Description = "A built Vigil.Silo.dll (default: the one built beside this vigil, Release first)." };
        var models = new Option<string?>("--models") { Description = "Folder of bundles the silo loads (default: the repository's models/)." };
        var images = new Option<string?>("--images") { Description = "Fashion-MNIST folder for camera frames (default ../shared/data/fashion-mnist if present)." };
        var output = new Option<string>("--out") { Description = "Path prefix of the report: <out>.csv and <out>.png.", DefaultValueFactory = _ => Path.Combine("docs", "capacity") };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated fleet.", DefaultValueFactory = _ => 1 };

        var command = new Command("capacity", "Capacity report: throughput, latency, silo CPU per reading and memory per device grain for several fleet sizes, each on a fresh silo.")
        {
            homes, duration, warmup, devices, cameras, rate, frameInterval, silo, models, images, output, seed,
        };
        command.SetAction((parse, ct) =>
        {
            var settings = new CapacitySettings(CapacitySettings.ParseHomes(parse.GetValue(homes)), parse.GetValue(duration), parse.GetValue(warmup),
                parse.GetValue(devices), parse.GetValue(cameras), parse.GetValue(rate), parse.GetValue(frameInterval), parse.GetValue(seed), parse.GetValue(output)!);
            return RunAsync(settings, parse.GetValue(silo), parse.GetValue(models), parse.GetValue(images), ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(CapacitySettings settings, string? siloOption, string? modelsOption, string? imagesOption, CancellationToken ct)
    {
        settings.Validate();
        if (!OperatingSystem.IsLinux()) throw new CliUserException("bench capacity reads the silo's CPU and memory from /proc, so it runs on Linux only.");
        var siloDll = SiloLocator.Resolve(siloOption, AppContext.BaseDirectory, Environment.CurrentDirectory);
        var repo = RepoRoot();
        var modelsPath = Path.GetFullPath(modelsOption ?? (repo is null ? "models" : Path.Combine(repo, "models")));
        if (!Directory.Exists(modelsPath)) throw new CliUserException($"--models: no folder '{modelsPath}' (the silo loads its bundles from there).");
        var imageFolder = imagesOption ?? DefaultImages(repo);
        if (imagesOption is not null && !Directory.Exists(imagesOption)) throw new CliUserException($"--images: no folder '{Path.GetFullPath(imagesOption)}'.");

        int window = DetectorWindows.Longest(modelsPath);
        if (settings.WarmupSeconds * settings.Rate < window)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bench capacity: note: --warmup {settings.WarmupSeconds:F0} s at {settings.Rate} readings/s does not fill the detectors' {window}-reading windows; readings before a window is full are not scored, so CPU per reading reads low. Use --warmup {Math.Ceiling(window / settings.Rate) + 10:F0} or more for figures."));

        var frames = FrameMosaics.Load(imageFolder);
        var logFolder = Directory.CreateTempSubdirectory("vigil-capacity-").FullName;
        Console.Error.WriteLine($"bench capacity: silo {siloDll}; models {modelsPath}; silo logs in {logFolder}");
        var run = new CapacityRun(settings, siloDll, modelsPath, frames, logFolder);
        var rows = new List<CapacityRow>();
        try
        {
            foreach (var homes in settings.Homes)
            {
                rows.Add(await run.MeasureAsync(homes, ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Each silo was stopped on the way out (SiloProcess.DisposeAsync); say so rather than print a stack.
            throw new CliUserException($"interrupted after {rows.Count} of {settings.Homes.Count} sizes; the silo was stopped and nothing was written.");
        }

        Print(rows);
        var csv = CapacityReportWriter.WriteCsv(settings.Out + ".csv", rows);
        var png = CapacityReportWriter.WritePng(settings.Out + ".png", rows);
        Console.Error.WriteLine($"bench capacity: wrote {csv} and {png}");
        Console.WriteLine(SummaryLine(rows));
        return 0;
    }

    /// <summary>A plain fixed-width table: it stays one line per size in logs and CI, however wide the terminal.</summary>
    private static void Print(IReadOnlyList<CapacityRow> rows)
    {
        string[] header = ["homes", "devices", "cameras", "readings/s", "frames/s", "p50 ms", "p99 ms", "dropped",
            "silo CPU %", "idle CPU %", "CPU µs/reading", "RSS MB", "KB/device grain", "marginal KB/grain", "load CPU %"];
        var cells = rows.Select(r => new[]
        {
            N(r.Homes), N(r.Devices), N(r.Cameras), F(r.ReadingsPerSecond, 1), F(r.FramesPerSecond, 1), F(r.Window.P50Ms, 1),
            F(r.Window.P99Ms, 1), N(r.Dropped), F(r.CpuPercentOfMachine, 1), F(r.IdleCpuPercentOfMachine, 2), F(r.CpuMicrosPerReading, 1), F(r.RssMb, 0),
            F(r.KbPerDeviceGrain, 1), F(r.MarginalKbPerDeviceGrain(rows), 1), F(r.LoadCpuPercentOfMachine, 1),
        }).ToList();
        var widths = header.Select((h, i) => cells.Select(c => c[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] values) => string.Join("  ", values.Select((v, i) => v.PadLeft(widths[i])));
        Console.WriteLine(Line(header));
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var c in cells) Console.WriteLine(Line(c));
        Console.WriteLine(
            $"silo CPU %: share of all {N(Environment.ProcessorCount)} cores over the measured window; idle: the same silo before any load (5 s), included in CPU µs/reading. CPU µs/reading: all the silo's CPU (readings, frames, HTTP, GC) / readings accepted in the window. " +
            "KB/device grain: (RSS at the end - RSS of the idle silo) / (sensors + cameras); marginal: RSS added per extra grain from the next smaller size. dropped: whole run, warm-up included. load CPU %: this bench process, the load generator, on the same machine.");
    }

    /// <summary>The last line: how CPU per reading grows from the smallest to the largest fleet, and the largest's p99.</summary>
    public static string SummaryLine(IReadOnlyList<CapacityRow> rows)
    {
        var smallest = rows.MinBy(r => r.Homes)!;
        var largest = rows.MaxBy(r => r.Homes)!;
        double growth = 100 * (largest.CpuMicrosPerReading / smallest.CpuMicrosPerReading - 1);
        return string.Create(CultureInfo.InvariantCulture,
            $"capacity: cpu_us_per_reading_growth={growth:F1}% (from {smallest.Homes} to {largest.Homes} homes) p99_ms_at_{largest.Homes}={largest.Window.P99Ms:F1} dropped={rows.Sum(r => r.Dropped)}");
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
    private static string F(double v, int digits) => double.IsFinite(v) ? v.ToString("F" + digits, CultureInfo.InvariantCulture) : "-";

    /// <summary>The checkout holding the working directory, else the one holding this vigil's build output.</summary>
    private static string? RepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return dir.FullName;
        return null;
    }

    private static string? DefaultImages(string? repo)
    {
        var candidate = repo is null ? null : Path.Combine(repo, "..", "shared", "data", "fashion-mnist");
        return candidate is not null && Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
    }
}
