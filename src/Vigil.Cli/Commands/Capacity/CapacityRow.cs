namespace Vigil.Cli.Commands.Capacity;

/// <summary>
/// One fleet size's measurement on a fresh silo. CPU per reading divides all the silo's CPU in the window (frames,
/// HTTP, grains, models, GC) by the readings it accepted there: frames run in the same process and cannot be
/// separated, so it is the silo's cost per reading at this mix of readings and frames.
/// <see cref="LoadCpuPercentOfMachine"/> is the bench process itself (the load generator) over the same window: it
/// shares the machine with the silo, so it says how much of the machine the silo did not have.
/// </summary>
public sealed record CapacityRow(
    int Homes,
    int Devices,
    int Cameras,
    double WindowSeconds,
    WindowCounts Window,
    long Dropped,
    ProcessSample IdleStart,
    ProcessSample Idle,
    ProcessSample Start,
    ProcessSample End,
    double LoadCpuPercentOfMachine)
{
    public double ReadingsPerSecond => Window.Readings / WindowSeconds;
    public double FramesPerSecond => Window.Frames / WindowSeconds;
    public double CpuSeconds => End.CpuSeconds - Start.CpuSeconds;

    /// <summary>Silo CPU as a share of the whole machine (all cores = 100 %).</summary>
    public double CpuPercentOfMachine => 100 * CpuSeconds / (WindowSeconds * Environment.ProcessorCount);

    /// <summary>The silo's own background CPU before any load (timers, membership, dashboard), as a share of the
    /// machine: it is part of every reading's cost above and weighs most on small fleets.</summary>
    public double IdleCpuPercentOfMachine =>
        100 * (Idle.CpuSeconds - IdleStart.CpuSeconds) / (Math.Max(1e-3, (Idle.At - IdleStart.At).TotalSeconds) * Environment.ProcessorCount);

    public double CpuMicrosPerReading => Window.Readings == 0 ? double.NaN : CpuSeconds * 1e6 / Window.Readings;
    public double RssMb => End.RssBytes / (1024.0 * 1024.0);
    public double IdleRssMb => Idle.RssBytes / (1024.0 * 1024.0);

    /// <summary>(RSS at the end − RSS of the idle silo) per device and camera grain: everything the load added,
    /// grain state, windows and buffers alike, charged to the grains that caused it.</summary>
    public double KbPerDeviceGrain => (End.RssBytes - Idle.RssBytes) / 1024.0 / Math.Max(1, Devices + Cameras);

    /// <summary>
    /// RSS added per extra device or camera grain from the next smaller size measured to this one (NaN for the
    /// smallest). <see cref="KbPerDeviceGrain"/> also carries what any load costs once (JIT, libtorch and GC arenas,
    /// thread stacks), which weighs most on small fleets; the difference between two fresh silos cancels it.
    /// </summary>
    public double MarginalKbPerDeviceGrain(IReadOnlyList<CapacityRow> all)
    {
        var smaller = all.Where(r => r.Devices + r.Cameras < Devices + Cameras).MaxBy(r => r.Devices + r.Cameras);
        if (smaller is null) return double.NaN;
        return (End.RssBytes - smaller.End.RssBytes) / 1024.0 / (Devices + Cameras - smaller.Devices - smaller.Cameras);
    }
}
