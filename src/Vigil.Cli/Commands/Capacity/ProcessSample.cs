using System.Globalization;
using System.Runtime.InteropServices;

namespace Vigil.Cli.Commands.Capacity;

/// <summary>
/// One reading of another process's CPU time and resident memory from Linux <c>/proc</c>: utime + stime of
/// <c>/proc/&lt;pid&gt;/stat</c> in clock ticks and VmRSS of <c>/proc/&lt;pid&gt;/status</c>.
/// </summary>
public readonly record struct ProcessSample(DateTimeOffset At, double CpuSeconds, long RssBytes)
{
    private static readonly Lazy<long> ClockTicks = new(ReadClockTicks);

    /// <summary>Ticks per second of the times in <c>/proc/&lt;pid&gt;/stat</c> (sysconf(_SC_CLK_TCK), 100 on every Linux seen).</summary>
    public static long TicksPerSecond => ClockTicks.Value;

    public static ProcessSample Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return new ProcessSample(DateTimeOffset.UtcNow, ParseCpuTicks(stat) / (double)TicksPerSecond, ParseRssBytes(status));
    }

    /// <summary>utime + stime (fields 14 and 15). The command name (field 2) may hold spaces and parentheses, so
    /// fields are counted from the last ')'.</summary>
    public static long ParseCpuTicks(string stat)
    {
        int close = stat.LastIndexOf(')');
        if (close < 0) throw new FormatException("no ')' after the command name in /proc/<pid>/stat");
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state): utime is field 14 → index 11, stime field 15 → index 12.
        if (fields.Length < 13) throw new FormatException($"/proc/<pid>/stat has {fields.Length + 2} fields, expected at least 15");
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>VmRSS in bytes (the file states it in kB).</summary>
    public static long ParseRssBytes(IEnumerable<string> statusLines)
    {
        foreach (var line in statusLines)
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var parts = line["VmRSS:".Length..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
        }
        throw new FormatException("no VmRSS line in /proc/<pid>/status (a zombie process has none)");
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);

    private static long ReadClockTicks()
    {
        const int ScClkTck = 2; // _SC_CLK_TCK in glibc and musl
        try
        {
            long ticks = SysConf(ScClkTck);
            return ticks > 0 ? ticks : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100; // USER_HZ is fixed at 100 on Linux for everything /proc exports
        }
    }
}
