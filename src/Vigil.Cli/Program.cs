using System.CommandLine;
using Vigil.Cli.Commands;

// Each command lives in Commands/ and is registered here, once.
var root = new RootCommand("vigil: train, evaluate and benchmark Vigil's anomaly detectors, and drive a Vigil cluster.");
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(NabCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());

return await CliRunner.RunAsync(root, args);
