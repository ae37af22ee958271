using System.Linq.Expressions;
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
    // Load and Store are compiled once from the constructor's parameters (reflection per scoring was on the hot path:
    // boxing, object[] arguments and LINQ for every reading a device scores). Throwaway harness, 2026-11-23: load +
    // store 592-683 ns by reflection, 23-26 ns compiled; a whole Score call 132-233 ns.
    private static readonly Func<double[], StreamScoreState> Read = CompileRead();
    private static readonly Func<StreamScoreState, double[]> Write = CompileWrite();

    [Id(0)] public string Detector { get; set; } = "";

    /// <summary>Bundle version the history was built with; a new version starts a new history (its errors mean other things).</summary>
    [Id(1)] public string? Version { get; set; }

    /// <summary>The <see cref="StreamScoreState"/> constructor arguments, in order; empty = no history yet.</summary>
    [Id(2)] public double[] History { get; set; } = [];

    public long Count => History.Length == 0 ? 0 : (long)History[0];

    public StreamScoreState Load() => Read(History);

    public void Store(StreamScoreState value) => History = Write(value);

    /// <summary>The constructor with every field: its parameters, in order, are the persisted layout.</summary>
    private static ConstructorInfo StateConstructor() =>
        typeof(StreamScoreState).GetConstructors().MaxBy(c => c.GetParameters().Length)!;

    /// <summary>
    /// history => new StreamScoreState(0 &lt; history.Length ? Convert.ToInt64(history[0]) : default, ...): each value
    /// converted as Convert.ChangeType does; a value missing from older, shorter history takes the parameter's default.
    /// </summary>
    private static Func<double[], StreamScoreState> CompileRead()
    {
        var constructor = StateConstructor();
        var history = Expression.Parameter(typeof(double[]), "history");
        var arguments = constructor.GetParameters().Select((p, i) =>
        {
            var type = p.ParameterType;
            var stored = Expression.Call(ConvertMethod("To" + type.Name, typeof(double)), Expression.ArrayIndex(history, Expression.Constant(i)));
            Expression missing = p.HasDefaultValue ? Expression.Constant(p.DefaultValue, type) : Expression.Default(type);
            return (Expression)Expression.Condition(
                Expression.LessThan(Expression.Constant(i), Expression.ArrayLength(history)), stored, missing);
        });
        return Expression.Lambda<Func<double[], StreamScoreState>>(Expression.New(constructor, arguments), history).Compile();
    }

    /// <summary>state => new[] { Convert.ToDouble(state.Count), ... }, in the constructor's parameter order.</summary>
    private static Func<StreamScoreState, double[]> CompileWrite()
    {
        var state = Expression.Parameter(typeof(StreamScoreState), "state");
        var values = StateConstructor().GetParameters().Select(p =>
        {
            var property = typeof(StreamScoreState).GetProperty(p.Name!)
                           ?? throw new InvalidOperationException($"StreamScoreState has no property for '{p.Name}'.");
            return (Expression)Expression.Call(ConvertMethod(nameof(Convert.ToDouble), property.PropertyType), Expression.Property(state, property));
        });
        return Expression.Lambda<Func<StreamScoreState, double[]>>(Expression.NewArrayInit(typeof(double), values), state).Compile();
    }

    private static MethodInfo ConvertMethod(string name, Type argument) =>
        typeof(Convert).GetMethod(name, [argument])
        ?? throw new InvalidOperationException($"StreamScoreState has a field of a type Convert cannot map to and from double ({name}({argument.Name})).");

    /// <summary>Scores <paramref name="rawError"/> and the newest reading (<paramref name="value"/>; NaN = none, e.g. a
    /// multi-channel device) against the history and folds them in. With <paramref name="judgeReadings"/> false (the
    /// device's readings warm-up) the reading only teaches the range and run lengths; it is not judged.</summary>
    public float Score(string version, float rawError, float value = float.NaN, bool judgeReadings = true) =>
        Score(version, rawError, value, judgeReadings, out _);

    /// <summary>As the overload above; <paramref name="readingFlagged"/>: the reading tests flagged the reading.</summary>
    public float Score(string version, float rawError, float value, bool judgeReadings, out bool readingFlagged)
    {
        if (Version != version)
        {
            Version = version;
            History = [];
        }
        var state = Load();
        // The settings the label-free selection chose for this detector kind, the same ones `vigil evaluate nab` scores.
        var score = StreamScore.Update(ref state, rawError, value, Settings(Detector, judgeReadings), out readingFlagged);
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
