using System.Globalization;

namespace Vigil.Detectors.Evaluation.Nab;

/// <summary>
/// One row of NAB's <c>&lt;detector&gt;_&lt;profile&gt;_scores.csv</c>: a file scored at the corpus threshold.
/// TP/TN/FP/FN count rows after the probationary period; <see cref="TotalCount"/> is the file's row count, as in
/// NAB's published score files.
/// </summary>
public sealed record NabFileScore(
    string RelativePath, double Threshold, double Score, int TP, int TN, int FP, int FN, int TotalCount)
{
    public string Category => RelativePath.Contains('/') ? RelativePath[..RelativePath.IndexOf('/')] : "";
}

/// <summary>The threshold NAB's optimiser picks for a profile: the one with the highest corpus score.</summary>
public sealed record NabThresholdChoice(double Threshold, double Score, int TP, int TN, int FP, int FN);

/// <summary>A category's share of a profile's score, normalised like the corpus (NaN when it has no window).</summary>
public sealed record NabCategoryScore(
    string Category, int Files, int Windows, double RawScore, double NullScore, double PerfectScore, double NormalisedScore);

/// <summary>A detector's result under one profile.</summary>
public sealed record NabProfileScore(
    NabProfile Profile,
    double Threshold,
    double RawScore,
    double NullScore,
    double PerfectScore,
    double NormalisedScore,
    IReadOnlyList<NabFileScore> Files,
    IReadOnlyList<NabCategoryScore> Categories)
{
    public int TP => Files.Sum(f => f.TP);
    public int TN => Files.Sum(f => f.TN);
    public int FP => Files.Sum(f => f.FP);
    public int FN => Files.Sum(f => f.FN);
}

/// <summary>A detector scored under every profile.</summary>
public sealed record NabScoreReport(string Detector, IReadOnlyList<NabProfileScore> Profiles)
{
    /// <summary>Result files in the results folder for series the corpus does not hold (not scored).</summary>
    public IReadOnlyList<string> IgnoredResultFiles { get; init; } = [];

    public NabProfileScore this[string profile] =>
        Profiles.FirstOrDefault(p => p.Profile.Name == profile)
        ?? throw new KeyNotFoundException($"No result for NAB profile '{profile}'.");

    /// <summary>
    /// The line Vigil's NAB commands print last: <c>NAB standard=x reward_low_FP_rate=y reward_low_FN_rate=z</c>,
    /// normalised scores with one decimal, profiles in the order of <see cref="NabProfiles.PublishedNames"/> first.
    /// </summary>
    public string SummaryLine()
    {
        var ordered = Profiles
            .OrderBy(p => PublishedRank(p.Profile.Name))
            .Select(p => $"{p.Profile.Name}={p.NormalisedScore.ToString("F1", CultureInfo.InvariantCulture)}");
        return "NAB " + string.Join(' ', ordered);

        static int PublishedRank(string name)
        {
            for (var i = 0; i < NabProfiles.PublishedNames.Count; i++)
                if (NabProfiles.PublishedNames[i] == name)
                    return i;
            return int.MaxValue;
        }
    }
}
