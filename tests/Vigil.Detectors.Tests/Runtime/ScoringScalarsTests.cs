using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Scoring;
using Vigil.Detectors.Series;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Runtime;

/// <summary>
/// The methods a serving silo runs must not hand libtorch a temporary Scalar (see <see cref="KeptScalars"/>): their IL
/// may not convert a number to a Scalar, nor add two tensors with TorchSharp's implicit alpha (<c>a + b</c>,
/// <c>add</c>, <c>add_</c> without one), nor use an operator with a number (<c>x - 0.5</c>). Deterministic where <see cref="ScoringUnderGcTests"/> can only catch the race
/// by chance: on the code before the fix it lists twelve call sites. The methods checked are found by walking the
/// calls from the scoring entry points, so a new scoring method is checked without being listed. Training steps are
/// held to the same rule (a CI run lost a fine-tuning to "Unknown scalar type" from TorchSharp's own Adam).
/// </summary>
public sealed class ScoringScalarsTests
{
    /// <summary>Where a serving silo enters the detectors: the model grains load bundles (which folds the frame network's
    /// batch-norm) and score batches of windows and frames.</summary>
    private static readonly MethodBase[] EntryPoints =
    [
        typeof(DetectorLoader).GetMethod(nameof(DetectorLoader.LoadSeries))!,
        typeof(DetectorLoader).GetMethod(nameof(DetectorLoader.LoadFrames))!,
        typeof(SeriesDetector).GetMethod(nameof(SeriesDetector.ScoreBatch))!,
        typeof(FrameCnnDetector).GetMethod(nameof(FrameCnnDetector.ScoreBatch))!,
        typeof(FrameCnnDetector).GetMethod(nameof(FrameCnnDetector.ScoreTiles))!,
    ];

    /// <summary>Methods that must be among those found: if the walk missed one of these, it would miss others too.</summary>
    private static readonly (Type Type, string Method)[] MustBeReached =
    [
        (typeof(SeriesModel), "Errors"),
        (typeof(ConvAutoencoderNetwork), "forward"),
        (typeof(ConvAutoencoderScoringPass), "Forward"),
        (typeof(TransposedConvolutionGemm), "Forward"),
        (typeof(LstmDcnnNetwork), "forward"),
        (typeof(LstmDcnnNetwork), "DilatedForScoring"),
        (typeof(TileScorer), "RawScores"),
        (typeof(FoldedFrameCnn), "Forward"),
        (typeof(FoldedFrameCnn), ".ctor"),
        (typeof(FeatureMemory), "forward"),
        (typeof(FeatureDensity), "forward"),
        (typeof(SignalStandardisation), "Sum"),
        (typeof(InferencePooling), "MaxPool2x2"),
        (typeof(ChannelsLast), "Of"),
    ];

    [Fact]
    public void Scoring_hands_libtorch_no_temporary_Scalar()
    {
        var scoring = Reachable(EntryPoints);
        var missed = MustBeReached.Where(m => !scoring.Any(s => s.DeclaringType == m.Type && s.Name == m.Method)).ToArray();
        Assert.True(missed.Length == 0, "not reached from scoring: " + string.Join(", ", missed.Select(m => $"{m.Type.Name}.{m.Method}")));
        var offences = Offences(scoring);
        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }

    [Fact]
    public void Training_steps_hand_libtorch_no_temporary_Scalar()
    {
        // Training runs its steps in a no-GC region, but that region is process-wide and other threads spend its budget.
        var training = Reachable([
            typeof(SeriesTrainer).GetMethod(nameof(SeriesTrainer.Train))!,
            typeof(GeometricTrainer).GetMethod(nameof(GeometricTrainer.Train))!,
            typeof(SupervisedTrainer).GetMethod(nameof(SupervisedTrainer.Train))!,
        ]);
        Assert.Contains(training, m => m.DeclaringType == typeof(KeptScalarsAdam) && m.Name == "Update");
        Assert.Contains(training, m => m.DeclaringType == typeof(SeriesModel) && m.Name == "Loss");
        var offences = Offences(training);
        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
    }

    private static List<string> Offences(IEnumerable<MethodBase> methods) =>
        (from method in methods
         from callee in Callees(method)
         where IsTemporaryScalar(callee)
         select $"{method.DeclaringType?.Name}.{method.Name} calls {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})").ToList();

    /// <summary>
    /// Every method of the detectors' assembly a scoring call can run: the entry points, then whatever their IL calls,
    /// creates or takes the address of (lambdas and local functions are reached through <c>ldftn</c>), with every
    /// override in the assembly of a virtual or interface method called (a network called as a <c>Module</c>).
    /// So a new scoring method needs no list entry to be checked.
    /// </summary>
    private static HashSet<MethodBase> Reachable(IEnumerable<MethodBase> entryPoints)
    {
        var assembly = typeof(SeriesDetector).Assembly;
        var types = assembly.GetTypes();
        var seen = new HashSet<MethodBase>();
        var queue = new Queue<MethodBase>(entryPoints);
        while (queue.TryDequeue(out var method))
        {
            if (!seen.Add(method)) continue;
            foreach (var callee in Callees(method))
            {
                if (callee.Module.Assembly == assembly) queue.Enqueue(callee);
                if (callee.IsVirtual || callee.IsAbstract)
                    foreach (var target in Overrides(callee, types)) queue.Enqueue(target);
            }
        }
        return seen;
    }

    /// <summary>Methods of <paramref name="types"/> that can answer a call to <paramref name="callee"/>: same name and parameters, on a type that is one.</summary>
    private static IEnumerable<MethodBase> Overrides(MethodBase callee, Type[] types)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var parameters = callee.GetParameters().Select(p => p.ParameterType).ToArray();
        var declaring = callee.DeclaringType;
        if (declaring is null) yield break;
        foreach (var type in types.Where(t => t != declaring && t.IsAssignableTo(declaring)))
        foreach (var method in type.GetMethods(declared))
        {
            // Explicit interface implementations are named "Interface.Method".
            var name = method.Name[(method.Name.LastIndexOf('.') + 1)..];
            if (name == callee.Name && method.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters))
                yield return method;
        }
    }

    [Fact]
    public void The_scan_sees_the_forms_that_make_a_temporary_Scalar()
    {
        var callees = Callees(typeof(ScoringScalarsTests).GetMethod(nameof(Offending), BindingFlags.NonPublic | BindingFlags.Static)!).ToList();
        Assert.Equal(4, callees.Count(IsTemporaryScalar)); // 0.5, the alpha of +, add_ without alpha, clamp_min(0)
        var kept = Callees(typeof(ScoringScalarsTests).GetMethod(nameof(Kept), BindingFlags.NonPublic | BindingFlags.Static)!).ToList();
        Assert.DoesNotContain(kept, IsTemporaryScalar);
    }

    private static Tensor Offending(Tensor a, Tensor b) => ((a - 0.5) + b).add_(b).clamp_min(0);

    private static Tensor Kept(Tensor a, Tensor b) => a.sub(KeptScalars.Half).Plus(b).PlusInPlace(b).clamp_min(KeptScalars.Zero) - b;

    private static bool IsTemporaryScalar(MethodBase callee)
    {
        if (callee.DeclaringType == typeof(Scalar) && callee.Name == "op_Implicit") return true;
        if (callee.DeclaringType != typeof(Tensor)) return false;
        var parameters = callee.GetParameters();
        // An operator with a number (x - 0.5, 2 * x) makes the Scalar inside TorchSharp; so does a + b (its alpha).
        return (callee.Name.StartsWith("op_", StringComparison.Ordinal) && parameters.Any(p => p.ParameterType.IsPrimitive))
               || (callee.Name == "op_Addition" && parameters.All(p => p.ParameterType == typeof(Tensor)))
               || (callee.Name is "add" or "add_" && parameters.Length == 1);
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Every method a body calls (call, callvirt, newobj), read from its IL.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var op = OpCodesByValue[value];
            i += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                var token = BitConverter.ToInt32(il, i);
                MethodBase? callee = null;
                try
                {
                    callee = method.Module.ResolveMethod(token,
                        method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null,
                        method.IsGenericMethod ? method.GetGenericArguments() : null);
                }
                catch (ArgumentException)
                {
                }
                if (callee is not null) yield return callee;
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
        }
    }
}
