using System.Globalization;

namespace Vigil.Cli.Commands.Capacity;

/// <summary>What <c>vigil bench capacity</c> measures, checked before any silo starts.</summary>
public sealed record CapacitySettings(
    IReadOnlyList<int> Homes,
    double DurationSeconds,
    double WarmupSeconds,
    int DevicesPerHome,
    int CamerasPerHome,
    double Rate,
    double FrameIntervalSeconds,
    int Seed,
    string Out)
{
    /// <summary>Parses <c>--homes 100,1000,5000</c>: positive whole numbers, no repeats, measured in the order given.</summary>
    public static IReadOnlyList<int> ParseHomes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new CliUserException("--homes needs at least one fleet size, e.g. --homes 100,1000,5000.");
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var homes))
                throw new CliUserException($"--homes: '{part}' is not a whole number (expected a comma-separated list such as 100,1000,5000).");
            if (homes < 1) throw new CliUserException($"--homes: {homes} is not a fleet size; every size must be at least 1 home.");
            if (sizes.Contains(homes)) throw new CliUserException($"--homes: {homes} is listed twice.");
            sizes.Add(homes);
        }
        return sizes;
    }

    public void Validate()
    {
        if (!(DurationSeconds > 0)) throw new CliUserException($"--duration must be positive, not {DurationSeconds}.");
        if (!(WarmupSeconds >= 0)) throw new CliUserException($"--warmup must be >= 0, not {WarmupSeconds}.");
        if (DevicesPerHome < 1) throw new CliUserException($"--devices-per-home must be at least 1 (CPU is measured per reading), not {DevicesPerHome}.");
        if (CamerasPerHome < 0) throw new CliUserException($"--cameras-per-home must be >= 0, not {CamerasPerHome}.");
        if (!(Rate > 0 && Rate <= 100)) throw new CliUserException($"--rate must lie in (0, 100] readings per second, not {Rate}.");
        if (!(FrameIntervalSeconds >= 0)) throw new CliUserException($"--frame-interval must be >= 0, not {FrameIntervalSeconds}.");
        if (string.IsNullOrWhiteSpace(Out)) throw new CliUserException("--out needs a path prefix, e.g. docs/capacity.");
    }
}
