using static TorchSharp.torch;

namespace Vigil.Detectors.Runtime;

/// <summary>
/// Channels-last layout for 4-D tensors ([N, C, H, W] with channels moving fastest in memory). libtorch hands a
/// convolution whose input or weight is laid out so to oneDNN in that layout, without reordering activations and
/// weights on every call; TorchSharp 0.107 has no memory-format argument, so the layout is made by permuting.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>The same values laid out channels-last (a copy unless they already are).</summary>
    public static Tensor Of(Tensor nchw) =>
        nchw.stride(1) == 1 ? nchw : nchw.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>A channels-last copy that shares no memory with <paramref name="nchw"/> (one copy either way): for
    /// weights kept beside the parameters they were made from.</summary>
    public static Tensor Copy(Tensor nchw) => nchw.stride(1) == 1 ? nchw.clone() : Of(nchw);
}
