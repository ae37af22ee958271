namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>One labelled anomaly window as an inclusive range of row indices (0-based) of its series.</summary>
public readonly record struct NabWindow(int Start, int End)
{
    /// <summary>Number of rows in the window (both ends included), NAB's window width.</summary>
    public int Width => End - Start + 1;

    public bool Contains(int row) => row >= Start && row <= End;
}
