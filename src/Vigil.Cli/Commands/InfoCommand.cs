using System.CommandLine;
using TorchSharp;
using Vigil.Detectors.Native;
using Vigil.Detectors.Runtime;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil info</c>: what Torch runtime this machine gives Vigil (natives, threads, devices).</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the Torch runtime Vigil uses on this machine.");
        command.SetAction(_ =>
        {
            TorchRuntime.EnsureInitialised();
            Console.WriteLine($"libLibTorchSharp: {LibTorchSharpLoader.EnsureLoaded()}" +
                              (LibTorchSharpLoader.PatchedCopyPath is { } p ? $" ({p})" : ""));
            Console.WriteLine($"torch threads:    {torch.get_num_threads()}");
            Console.WriteLine($"native heap:      {TorchRuntime.HeapConfiguration.Detail}");
            Console.WriteLine($"nnpack:           {TorchRuntime.Nnpack.Detail}");
            Console.WriteLine($"runtime:          {Vigil.Silo.Hosting.JitAndGcSettings.Describe()}");
            Console.WriteLine($"cuda available:   {torch.cuda.is_available()}");
            Console.WriteLine($"device (auto):    {TorchRuntime.ResolveDevice("auto")}");
            return 0;
        });
        return command;
    }
}
