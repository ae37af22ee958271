using TorchSharp;
using Vigil.Detectors.Native;

namespace Vigil.Detectors.Runtime;

/// <summary>The one door to TorchSharp: loads the natives (see <see cref="LibTorchSharpLoader"/>) and picks the device.</summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool _initialised;

    /// <summary>What <see cref="NativeHeap.Configure"/> did when the runtime was initialised.</summary>
    public static (bool Applied, string Detail) HeapConfiguration { get; private set; }

    /// <summary>What <see cref="NnpackSwitch.Disable"/> did when the runtime was initialised.</summary>
    public static (bool Disabled, string Detail) Nnpack { get; private set; }

    /// <summary>Idempotent; every entry point (CLI, silo, tests) calls it before touching torch.</summary>
    public static void EnsureInitialised()
    {
        lock (Gate)
        {
            if (_initialised) return;
            HeapConfiguration = NativeHeap.Configure();
            LibTorchSharpLoader.EnsureLoaded();
            // Touch the backend now so a missing native surfaces here, with TorchSharp's own message.
            _ = torch.get_num_threads();
            Nnpack = NnpackSwitch.Disable();
            _initialised = true;
        }
    }

    /// <summary><c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> (cuda when available, else cpu).</summary>
    public static torch.Device ResolveDevice(string? spec)
    {
        EnsureInitialised();
        var s = string.IsNullOrWhiteSpace(spec) ? "auto" : spec.Trim().ToLowerInvariant();
        if (s == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (s == "cpu") return torch.CPU;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException(
                    $"Device '{spec}' was asked for, but CUDA is not available in this build or on this machine " +
                    "(CUDA needs the GPU image, built with -p:TorchBackend=cuda). Use --device cpu or auto.");
            return torch.device(s);
        }
        throw new ArgumentException($"Unknown device '{spec}': expected cpu, cuda, cuda:N or auto.");
    }
}
