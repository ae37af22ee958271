using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil evaluate &lt;benchmark&gt;</c>: one subcommand per benchmark.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var command = new Command("evaluate", "Run a detector over a benchmark under its protocol and score it.");
        command.Subcommands.Add(EvaluateNabCommand.Create());
        command.Subcommands.Add(EvaluateOneClassCommand.Create());
        command.Subcommands.Add(EvaluateFramesCommand.Create());
        return command;
    }
}
