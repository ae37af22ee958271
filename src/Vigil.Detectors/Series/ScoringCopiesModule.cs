using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vigil.Detectors.Series;

/// <summary>
/// A network that scores with copies of some of its weights laid out for scoring (channels-last convolutions),
/// converted once rather than on every call. The copies go stale when the weights change; in Vigil that happens only
/// after a forward that records gradients (the network drops them there), on a mode switch (training starts and ends
/// with one) or on a load, and the overrides here drop them for the last two. Weights written in place under no_grad
/// outside these would not be seen; nothing in Vigil does that.
/// </summary>
public abstract class ScoringCopiesModule(string name) : Module<Tensor, Tensor>(name)
{
    /// <summary>Forget the scoring copies; the next scoring forward converts the current weights again.</summary>
    protected abstract void DropScoringCopies();

    /// <summary>Scoring runs in eval mode with no gradients recorded; anything else runs the layers themselves.</summary>
    protected bool IsScoring => !training && !is_grad_enabled();

    public override void train(bool on = true)
    {
        DropScoringCopies();
        base.train(on);
    }

    public override Module load(BinaryReader reader, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
    {
        DropScoringCopies();
        return base.load(reader, strict, skip, loadedParameters);
    }

    public override Module load(string location, bool strict = true, IList<string>? skip = null, Dictionary<string, bool>? loadedParameters = null)
    {
        DropScoringCopies();
        return base.load(location, strict, skip, loadedParameters);
    }

    public override (IList<string>, IList<string>) load_state_dict(Dictionary<string, Tensor> source, bool strict = true, IList<string>? skip = null)
    {
        DropScoringCopies();
        return base.load_state_dict(source, strict, skip);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) DropScoringCopies();
        base.Dispose(disposing);
    }

    /// <summary>Do two devices name the same one? (TorchSharp's Device objects compare by reference.)</summary>
    protected static bool SameDevice(Device a, Device b) => a.type == b.type && a.index == b.index;
}
