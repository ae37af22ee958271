using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Vigil.Detectors.Bundles;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Series;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil bench detectors</c>: windows/s of every detector at batch 1, 16, 64 and 256, the machine's own large
/// matrix-multiply rate measured in the same run (same device, same threads), and each detector's achieved forward
/// GFLOP/s as a fraction of it.
/// </summary>
public static class BenchDetectorsCommand
{
    public static readonly int[] BatchSizes = [1, 16, 64, 256];

    public static Command Create()
    {
        var models = new Option<string>("--models") { Description = "Folder of bundles (models/<kind>).", DefaultValueFactory = _ => "models" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto.", DefaultValueFactory = _ => "auto" };
        var seconds = new Option<double>("--seconds") { Description = "Measuring time per detector and batch size.", DefaultValueFactory = _ => 1.5 };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads (default: half the cores, or OMP_NUM_THREADS)." };
        var command = new Command("detectors", "Windows/s per detector and batch size, against this machine's GEMM rate.") { models, device, seconds, threads };
        command.SetAction(parse => Run(parse.GetValue(models)!, parse.GetValue(device)!, parse.GetValue(seconds), parse.GetValue(threads)));
        return command;
    }

    private static int Run(string modelsPath, string deviceSpec, double seconds, int? threads)
    {
        var threadCount = TorchThreads.Configure(threads);
        torch.Device device;
        try
        {
            device = TorchRuntime.ResolveDevice(deviceSpec);
        }
        catch (ArgumentException e)
        {
            throw new CliUserException(e.Message, e);
        }

        // On a shared machine one GEMM sample can land in a busy moment and flatter every fraction; the reference is
        // the best of a measurement before and one after the detectors (the conservative choice).
        var gemmBefore = GemmGflops(device, seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"device {device}, {threadCount} thread(s); GEMM 1024x1024x1024 float32: {gemmBefore:F1} GFLOP/s"));

        // Each detector family's bundles are loaded on their own: a family whose bundle is missing is reported as not
        // measured, and the others are still measured.
        var cases = new List<DetectorBenchCase>();
        var notMeasured = new List<string>();
        foreach (var provider in DetectorBenchCases.Providers)
        {
            try
            {
                cases.AddRange(provider(modelsPath, device.ToString()).ToList());
            }
            catch (BundleException e)
            {
                notMeasured.Add($"not measured: {e.Message}");
            }
        }
        if (cases.Count == 0) throw new CliUserException($"no detector bundle could be loaded from '{modelsPath}': {string.Join("; ", notMeasured)}");
        var measured = new List<(DetectorBenchCase Bench, Dictionary<int, double> Rates)>();
        foreach (var bench in cases)
        {
            using (bench)
            {
                var rates = new Dictionary<int, double>();
                foreach (var batch in BatchSizes)
                {
                    var step = bench.PrepareBatch(batch);
                    rates[batch] = Measure(step, seconds) * batch;
                }
                measured.Add((bench, rates));
            }
        }
        var gemmAfter = GemmGflops(device, seconds);
        var gemm = Math.Max(gemmBefore, gemmAfter);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"GEMM again after the detectors: {gemmAfter:F1} GFLOP/s; fractions below are of the better one, {gemm:F1} GFLOP/s"));
        Console.WriteLine($"{"detector",-18} {"batch",6} {"windows/s",12} {"GFLOP/s",9} {"of GEMM",8}");
        var summary = new List<string>();
        foreach (var (bench, rates) in measured)
        {
            foreach (var batch in BatchSizes)
            {
                var gflops = rates[batch] * bench.ForwardFlopsPerItem / 1e9;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{bench.Name,-18} {batch,6} {rates[batch],12:N0} {gflops,9:F2} {gflops / gemm,8:P1}"));
            }
            var at64 = rates[64] * bench.ForwardFlopsPerItem / 1e9;
            var best = rates.Values.Max() * bench.ForwardFlopsPerItem / 1e9;
            summary.Add(string.Create(CultureInfo.InvariantCulture,
                $"{bench.Name}: batch 64 = {rates[64] / rates[1]:F1}x batch 1 (target >= 10x); batch 64 {at64:F2} GFLOP/s = {at64 / gemm:P1} of GEMM, best {best / gemm:P1} (target >= 30%); {bench.ForwardFlopsPerItem / 1e6:F2} MFLOP per window"));
        }
        foreach (var line in summary.Concat(notMeasured)) Console.WriteLine(line);
        return 0;
    }

    /// <summary>Calls per second of <paramref name="step"/>, after a short warm-up.</summary>
    internal static double Measure(Action step, double seconds)
    {
        for (var i = 0; i < 3; i++) step();
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (clock.Elapsed.TotalSeconds < seconds || calls < 5)
        {
            step();
            calls++;
        }
        return calls / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Large square float32 matrix products on the device: the rate the hardware and libtorch can reach.</summary>
    private static double GemmGflops(torch.Device device, double seconds)
    {
        const int n = 1024;
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(n, n, device: device);
        var b = torch.randn(n, n, device: device);
        void Step()
        {
            using var inner = torch.NewDisposeScope();
            _ = torch.mm(a, b);
            if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
        }
        return Measure(Step, seconds) * 2.0 * n * n * n / 1e9;
    }
}
