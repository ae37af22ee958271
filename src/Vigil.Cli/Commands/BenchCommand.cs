using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil bench &lt;what&gt;</c>: one subcommand per benchmark.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure throughput.");
        command.Subcommands.Add(BenchDetectorsCommand.Create());
        command.Subcommands.Add(BenchClusterCommand.Create());
        command.Subcommands.Add(BenchCapacityCommand.Create());
        return command;
    }
}
