namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// A NAB input (data file, label file, profile file or detector results file) that cannot be scored as it is.
/// The message always names the file and, where one row is at fault, its 1-based line, so a user can open the file there.
/// </summary>
public sealed class NabDataException : Exception
{
    public NabDataException(string file, int? line, string problem, Exception? inner = null)
        : base(line is { } l ? $"{file}, line {l}: {problem}" : $"{file}: {problem}", inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file at fault, as the caller named it (absolute, or relative to the NAB folder).</summary>
    public string File { get; }

    /// <summary>1-based line of the file at fault, or null when the file as a whole is at fault.</summary>
    public int? Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
