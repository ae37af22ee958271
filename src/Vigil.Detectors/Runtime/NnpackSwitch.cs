using System.Runtime.InteropServices;

namespace Vigil.Detectors.Runtime;

/// <summary>
/// Switches libtorch's NNPACK convolutions off. On CPUs NNPACK does not support (the 2-core machine's, for one) libtorch
/// 2.10 still asks for it on every small convolution and, failing, logs "Could not initialize NNPACK! Reason:
/// Unsupported hardware." each time: measured, 2 lines per autoencoder window and 1 per lstm-dcnn window scored at batch
/// 1, so a silo at low load wrote them to stderr in a steady trickle and every such window paid for the write.
/// With NNPACK off libtorch picks the kernel it falls back to anyway, so results do not change. TorchSharp has no
/// switch for it; libtorch's own <c>at::Context::setUserEnabledNNPACK</c> (what Python's
/// <c>torch.backends.nnpack.set_flags</c> calls) is reached through its exported C++ names.
/// </summary>
public static class NnpackSwitch
{
    private const string Library = "libtorch_cpu.so";
    private const string GlobalContext = "_ZN2at13globalContextEv";
    private const string SetEnabled = "_ZN2at7Context20setUserEnabledNNPACKEb";
    private const string IsEnabled = "_ZNK2at7Context17userEnabledNNPACKEv";

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate IntPtr GetContext();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void SetFlag(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] [return: MarshalAs(UnmanagedType.U1)] private delegate bool GetFlag(IntPtr context);

    /// <summary>
    /// After libtorch is loaded: turns NNPACK off and reads the flag back. Elsewhere than Linux (other C++ name
    /// mangling) or without these exports it changes nothing and says why.
    /// </summary>
    public static (bool Disabled, string Detail) Disable()
    {
        if (Resolve() is not { } libtorch) return (false, OperatingSystem.IsLinux() ? $"{Library} or its at::Context NNPACK switch is not available" : "not Linux");
        Marshal.GetDelegateForFunctionPointer<SetFlag>(libtorch.Set)(libtorch.Context, false);
        return Marshal.GetDelegateForFunctionPointer<GetFlag>(libtorch.Get)(libtorch.Context)
            ? (false, "libtorch kept NNPACK on")
            : (true, "NNPACK off");
    }

    /// <summary>libtorch's own reading of the flag (null where it cannot be read).</summary>
    public static bool? IsEnabledInLibtorch() =>
        Resolve() is { } libtorch ? Marshal.GetDelegateForFunctionPointer<GetFlag>(libtorch.Get)(libtorch.Context) : null;

    /// <summary>libtorch's global context and the flag's setter and getter; null where any is missing.</summary>
    private static (IntPtr Context, IntPtr Set, IntPtr Get)? Resolve()
    {
        // The name matches the libtorch already loaded (as libLibTorchSharp's dependency), so this loads nothing new.
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(Library, out var library) ||
            !NativeLibrary.TryGetExport(library, GlobalContext, out var context) ||
            !NativeLibrary.TryGetExport(library, SetEnabled, out var set) ||
            !NativeLibrary.TryGetExport(library, IsEnabled, out var get))
            return null;
        return (Marshal.GetDelegateForFunctionPointer<GetContext>(context)(), set, get);
    }
}
