using Vigil.Detectors.Runtime;

namespace Vigil.Detectors.Tests.Runtime;

public sealed class NnpackSwitchTests
{
    [Fact]
    public void The_runtime_turns_NNPACK_off_in_libtorch_itself()
    {
        TorchRuntime.EnsureInitialised();
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(TorchRuntime.Nnpack.Disabled, TorchRuntime.Nnpack.Detail);
        // Read back from libtorch, not from our own record of the call.
        Assert.False(NnpackSwitch.IsEnabledInLibtorch());
    }
}
