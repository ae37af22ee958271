using System.Globalization;
using System.Reflection;
using Vigil.Detectors.Scoring;

namespace Vigil.Grains.Devices;

/// <summary>
/// A device's history of raw errors from one detector: a <see cref="StreamScoreState"/> (a handful of numbers).
/// That struct belongs to the detectors and grows as they learn (it did three times in one day), so it is persisted
/// as its constructor's arguments in order, read back the same way: a field added at the end reads back as its
/// default from older state, and Orleans never has to allow the detectors' type in stored JSON.
/// </summary>
[GenerateSerializer, Alias("vigil.detector-track")]
public sealed class DetectorTrack
{
    private static readonly ConstructorInfo Constructor =
        typeof(StreamScoreState).GetConstructors().MaxBy(c => c.GetParameters().Length)!;

    private static readonly ParameterInfo[] Parameters = Constructor.GetParameters();

    private static readonly PropertyInfo[] Properties =
        [.. Parameters.Select(p => typeof(StreamScoreState).GetProperty(p.Name!) ?? throw new InvalidOperationException($"StreamScoreState has no property for '{p.Name}'."))];

    [Id(0)] public string Detector { get; set; } = "";

    /// <summary>Bundle version the history was built with; a new version starts a new history (its errors mean other things).</summary>
    [Id(1)] public string? Version { get; set; }

    /// <summary>The <see cref="StreamScoreState"/> constructor arguments, in order; empty = no history yet.</summary>
    [Id(2)] public double[] History { get; set; } = [];

    public long Count => History.Length == 0 ? 0 : (long)History[0];

    public StreamScoreState Load()
    {
        var args = new object?[Parameters.Length];
        for (var i = 0; i < args.Length; i++)
        {
            var type = Parameters[i].ParameterType;
            args[i] = i < History.Length
                ? Convert.ChangeType(History[i], type, CultureInfo.InvariantCulture)
                : Parameters[i].HasDefaultValue ? Parameters[i].DefaultValue : Activator.CreateInstance(type);
        }
        return (StreamScoreState)Constructor.Invoke(args);
    }

    public void Store(StreamScoreState value)
    {
        var boxed = (object)value;
        History = [.. Properties.Select(p => Convert.ToDouble(p.GetValue(boxed), CultureInfo.InvariantCulture))];
    }

    /// <summary>Scores <paramref name="rawError"/> and the newest reading (<paramref name="value"/>; NaN = none, e.g. a
    /// multi-channel device) against the history and folds them in. With <paramref name="judgeReadings"/> false (the
    /// device's readings warm-up) the reading only teaches the range and run lengths; it is not judged.</summary>
    public float Score(string version, float rawError, float value = float.NaN, bool judgeReadings = true)
    {
        if (Version != version)
        {
            Version = version;
            History = [];
        }
        var state = Load();
        // The settings the label-free selection chose for this detector kind, the same ones `vigil evaluate nab` scores.
        var score = StreamScore.Update(ref state, rawError, value, Settings(Detector, judgeReadings));
        Store(state);
        return (float)score;
    }

    /// <summary>The settings per detector kind, built once: with the reading tests, and learning only.</summary>
    private static StreamScoreOptions Settings(string detector, bool judgeReadings)
    {
        var both = SettingsByKind.GetOrAdd(detector, kind =>
        {
            var judging = StreamScoreOptions.For(kind);
            return (judging, judging with { FlagOutOfRange = false, FlagStuck = false });
        });
        return judgeReadings ? both.Judging : both.Learning;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (StreamScoreOptions Judging, StreamScoreOptions Learning)> SettingsByKind = new();
}
