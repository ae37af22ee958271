using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Vigil.Cli.Commands.Capacity;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil bench capacity</c> on real silo child processes, and its refusals of bad input.</summary>
public sealed class BenchCapacityCommandTests
{
    [Fact]
    public async Task A_tiny_run_measures_two_fresh_silos_and_writes_the_table_csv_and_png()
    {
        var folder = Directory.CreateTempSubdirectory("vigil-capacity-test-").FullName;
        try
        {
            var prefix = Path.Combine(folder, "capacity");
            var run = await CliHarness.RunAsync("bench", "capacity", "--homes", "2,4", "--duration", "3", "--warmup", "1",
                "--silo", BuiltSilo(), "--models", Path.Combine(TestRepo.Root, "models"), "--out", prefix);
            DeleteLogs(run.StdErr);
            Assert.True(run.ExitCode == 0, run.StdErr);

            // The table: one row per size, in the order given.
            var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Contains(lines, l => l.StartsWith("homes", StringComparison.Ordinal) && l.Contains("CPU µs/reading") && l.Contains("KB/device grain"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^2\s+12\s+2\s"));
            Assert.Contains(lines, l => Regex.IsMatch(l, @"^4\s+24\s+4\s"));

            // The summary is the last line and names the smallest and largest sizes.
            Assert.Matches(@"^capacity: cpu_us_per_reading_growth=-?\d+(\.\d)?% \(from 2 to 4 homes\) p99_ms_at_4=\d+(\.\d)? dropped=\d+$", lines[^1]);

            // The CSV: the header and one row per size with measured, plausible figures.
            var csv = File.ReadAllLines(prefix + ".csv");
            Assert.Equal(CapacityReportWriter.CsvHeader, csv[0]);
            Assert.Equal(3, csv.Length);
            var columns = csv[0].Split(',');
            var rows = csv.Skip(1).Select(r => columns.Zip(r.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
            Assert.Equal(["2", "4"], rows.Select(r => r["homes"]));
            Assert.Equal(["12", "24"], rows.Select(r => r["devices"]));
            Assert.Equal(["2", "4"], rows.Select(r => r["cameras"]));
            foreach (var row in rows)
            {
                double Value(string name) => double.Parse(row[name], CultureInfo.InvariantCulture);
                // 1 reading/s per sensor: a 3 s window of 12 or 24 sensors accepts about that many per second.
                Assert.InRange(Value("readings_per_s"), 0.5 * Value("devices"), 2.0 * Value("devices"));
                Assert.True(Value("cpu_us_per_reading") > 0, row["cpu_us_per_reading"]);
                Assert.True(Value("rss_mb") >= Value("idle_rss_mb") * 0.5 && Value("idle_rss_mb") > 10, $"{row["rss_mb"]} / {row["idle_rss_mb"]}");
                Assert.True(Value("p99_ms") >= Value("p50_ms") && Value("p50_ms") > 0, $"{row["p50_ms"]} / {row["p99_ms"]}");
                Assert.InRange(Value("silo_cpu_percent"), 0.0, 100.0);
                Assert.InRange(Value("idle_cpu_percent"), 0.0, 100.0);
            }
            Assert.Equal("", rows[0]["marginal_kb_per_device_grain"]); // nothing smaller to compare with
            Assert.True(double.IsFinite(double.Parse(rows[1]["marginal_kb_per_device_grain"], CultureInfo.InvariantCulture)));

            // The PNG is a real PNG of some size, not an empty file.
            var png = await File.ReadAllBytesAsync(prefix + ".png");
            Assert.True(png.Length > 5_000, $"{png.Length} bytes");
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);

            // Both silos were stopped: their pids (as the progress lines gave them) are gone.
            var pids = Regex.Matches(run.StdErr, @"ready \(pid (\d+),").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(2, pids.Count);
            foreach (var pid in pids) Assert.False(IsSilo(pid), $"silo {pid} still runs");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The silo log folder a run names on stderr; the tests remove it.</summary>
    private static void DeleteLogs(string stderr)
    {
        var logs = Regex.Match(stderr, @"silo logs in (\S+)");
        if (logs.Success && Directory.Exists(logs.Groups[1].Value)) Directory.Delete(logs.Groups[1].Value, recursive: true);
    }

    [Fact]
    public async Task Ctrl_C_during_a_run_leaves_no_silo_behind()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "vigil.dll"), "bench", "capacity", "--homes", "2", "--duration", "120",
                     "--warmup", "0", "--silo", BuiltSilo(), "--models", Path.Combine(TestRepo.Root, "models"), "--out", Path.Combine(Path.GetTempPath(), $"vigil-capacity-{Guid.NewGuid():N}") })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        int? pid = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var seen = new List<string>();
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.Add(line);
            var ready = Regex.Match(line, @"ready \(pid (\d+),");
            if (!ready.Success) continue;
            pid = int.Parse(ready.Groups[1].Value, CultureInfo.InvariantCulture);
            break;
        }
        var earlier = string.Join('\n', seen);
        Assert.True(pid is not null, "the silo never became ready");
        Assert.True(IsSilo(pid.Value));

        Assert.Equal(0, SendSignal(process.Id, 2)); // SIGINT, as Ctrl+C sends it
        var rest = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        var stderr = earlier + "\n" + await rest;
        DeleteLogs(stderr);
        Assert.NotEqual(0, process.ExitCode);
        Assert.DoesNotContain("Unhandled exception", stderr);
        Assert.False(IsSilo(pid.Value), $"silo {pid} outlived the interrupted bench");
    }

    [Theory]
    [InlineData("0", "every size must be at least 1 home")]
    [InlineData("abc", "'abc' is not a whole number")]
    [InlineData("100,,5000", "'' is not a whole number")]
    [InlineData("100,100", "100 is listed twice")]
    public async Task Bad_fleet_sizes_are_refused_before_any_silo_starts(string homes, string message)
    {
        var run = await CliHarness.RunAsync("bench", "capacity", "--homes", homes, "--silo", BuiltSilo());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--homes", run.StdErr);
        Assert.Contains(message, run.StdErr);
        Assert.DoesNotContain("starting a fresh silo", run.StdErr);
    }

    [Fact]
    public async Task A_missing_silo_dll_is_named_with_what_to_build()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}", "Vigil.Silo.dll");
        var run = await CliHarness.RunAsync("bench", "capacity", "--homes", "2", "--silo", missing);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(missing, run.StdErr);
        Assert.Contains("dotnet build src/Vigil.Silo -c Release", run.StdErr);
    }

    [Fact]
    public async Task Bad_durations_are_refused()
    {
        var run = await CliHarness.RunAsync("bench", "capacity", "--homes", "2", "--duration", "0", "--silo", BuiltSilo());
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--duration must be positive", run.StdErr);
    }

    [Fact]
    public void The_locator_looks_beside_vigil_in_both_build_layouts_release_first()
    {
        var artifacts = SiloLocator.Candidates("/a/bin/Vigil.Cli/debug/", "/nowhere").ToList();
        Assert.Equal("/a/bin/Vigil.Silo/release/Vigil.Silo.dll", artifacts[0]);
        Assert.Equal("/a/bin/Vigil.Silo/debug/Vigil.Silo.dll", artifacts[1]);

        var classic = SiloLocator.Candidates(Path.Combine(TestRepo.Root, "src", "Vigil.Cli", "bin", "Debug", "net10.0"), "/nowhere").ToList();
        Assert.Contains(Path.Combine(TestRepo.Root, "src", "Vigil.Silo", "bin", "Release", "net10.0", "Vigil.Silo.dll"), classic);
        Assert.True(classic.IndexOf(Path.Combine(TestRepo.Root, "src", "Vigil.Silo", "bin", "Release", "net10.0", "Vigil.Silo.dll"))
                    < classic.IndexOf(Path.Combine(TestRepo.Root, "src", "Vigil.Silo", "bin", "Debug", "net10.0", "Vigil.Silo.dll")));
    }

    [Fact]
    public void Proc_stat_and_status_parse_cpu_ticks_and_rss()
    {
        // A command name with spaces and a parenthesis, as a process may choose.
        var stat = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194560 1200 0 0 0 731 269 0 0 20 0 33 0 123 456 789";
        Assert.Equal(1000, ProcessSample.ParseCpuTicks(stat));
        Assert.Equal(2048L * 1024, ProcessSample.ParseRssBytes(["Name:\tdotnet", "VmPeak:\t 9999 kB", "VmRSS:\t    2048 kB", "Threads:\t33"]));
        Assert.Throws<FormatException>(() => ProcessSample.ParseRssBytes(["Name:\tzombie"]));

        var self = ProcessSample.Read(Environment.ProcessId);
        Assert.True(self.CpuSeconds > 0 && self.RssBytes > 1024 * 1024, $"{self}");
    }

    /// <summary>The silo built beside this test's vigil in the same configuration (artifacts or classic layout).</summary>
    private static string BuiltSilo()
    {
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var artifacts = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here)!)!, "Vigil.Silo", Path.GetFileName(here), "Vigil.Silo.dll");
        if (File.Exists(artifacts)) return artifacts;
        var config = Path.GetFileName(Path.GetDirectoryName(here)!); // bin/<Config>/net10.0
        return Path.Combine(TestRepo.Root, "src", "Vigil.Silo", "bin", config, Path.GetFileName(here), "Vigil.Silo.dll");
    }

    private static bool IsSilo(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains("Vigil.Silo.dll", StringComparison.Ordinal); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int SendSignal(int pid, int signal);

}
