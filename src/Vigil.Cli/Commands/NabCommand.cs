using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil nab ...</c>: the Numenta Anomaly Benchmark tools (scoring existing NAB result files).</summary>
public static class NabCommand
{
    public static Command Create() => new("nab", "Numenta Anomaly Benchmark: score NAB result files.") { NabScoreCommand.Create() };
}
