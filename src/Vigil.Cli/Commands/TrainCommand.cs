using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil train &lt;kind&gt;</c>: one subcommand per detector kind.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train a detector and write a verified model bundle.");
        command.Subcommands.Add(TrainSeriesCommand.Create(Vigil.Detectors.Bundles.DetectorKinds.LstmDcnn,
            "DeepMaly forecaster: LSTM + dilated CNN predicting the next readings; raw signal = forecast error."));
        command.Subcommands.Add(TrainSeriesCommand.Create(Vigil.Detectors.Bundles.DetectorKinds.Autoencoder,
            "Convolutional autoencoder over windows; raw signal = reconstruction MAE."));
        command.Subcommands.Add(TrainFrameCnnCommand.Create());
        return command;
    }
}
