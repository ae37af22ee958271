using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;
using Vigil.Detectors.Frames;
using Vigil.Detectors.Runtime;
using Vigil.Detectors.Series;
using static TorchSharp.torch;

namespace Vigil.Detectors.Tests.Runtime;

/// <summary>
/// The methods a serving silo runs must not hand libtorch a temporary Scalar (see <see cref="KeptScalars"/>): their IL
/// may not convert a number to a Scalar, nor add two tensors with TorchSharp's implicit alpha (<c>a + b</c>,
/// <c>add</c>, <c>add_</c> without one), nor use an operator with a number (<c>x - 0.5</c>). Deterministic where <see cref="ScoringUnderGcTests"/> can only catch the race
/// by chance: on the code before the fix it lists twelve call sites.
/// </summary>
public sealed class ScoringScalarsTests
{
    /// <summary>Each type and the methods of it scoring (and bundle loading) runs, with their lambdas and local functions.</summary>
    private static readonly (Type Type, string[] Methods)[] ScoringPaths =
    [
        (typeof(SeriesDetector), ["ScoreBatch"]),
        (typeof(SeriesModel), ["Errors", "Predict"]),
        (typeof(ConvAutoencoderNetwork), ["forward"]),
        (typeof(ConvAutoencoderScoringPass), ["Forward", "Apply", ".ctor", "Of"]),
        (typeof(TransposedConvolutionGemm), ["Forward", ".ctor"]),
        (typeof(LstmDcnnNetwork), ["forward", "DilatedForScoring"]),
        (typeof(LstmAutoencoderNetwork), ["forward"]),
        (typeof(FrameCnnDetector), ["ScoreBatch"]),
        (typeof(TileScorer), ["RawScores", "Score", "Compute", "Copy"]),
        (typeof(FoldedFrameCnn), ["Forward", "Stage", ".ctor"]),
        (typeof(FeatureMemory), ["forward", "Combine", "CombineByMax", "Standardise"]),
        (typeof(FeatureDensity), ["forward", "Combine"]),
        (typeof(SignalStandardisation), ["Sum", "Geometric", "Distance"]),
        (typeof(GeometricTransform), ["Apply", "Shift"]),
        (typeof(InferencePooling), ["MaxPool2x2"]),
        (typeof(ChannelsLast), ["Of", "Copy"]),
    ];

    [Fact]
    public void Scoring_hands_libtorch_no_temporary_Scalar()
    {
        var scanned = 0;
        var offences = new List<string>();
        foreach (var (type, names) in ScoringPaths)
        {
            foreach (var method in MethodsOf(type, names))
            {
                scanned++;
                foreach (var callee in Callees(method))
                    if (IsTemporaryScalar(callee))
                        offences.Add($"{type.Name}.{method.Name} calls {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})");
            }
        }

        Assert.True(scanned >= 40, $"only {scanned} methods found: a listed name no longer exists?");
        Assert.True(offences.Count == 0, string.Join(Environment.NewLine, offences));
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

    /// <summary>The named methods of <paramref name="type"/> and its nested types, with the lambdas and local functions the compiler made of them (named <c>&lt;Name&gt;b__…</c>, <c>&lt;Name&gt;g__…</c>).</summary>
    private static IEnumerable<MethodBase> MethodsOf(Type type, string[] names)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var t in new[] { type }.Concat(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic)))
            foreach (var method in t.GetMethods(all).Cast<MethodBase>().Concat(t.GetConstructors(all)))
                if (names.Contains(method.Name) || names.Any(n => method.Name.Contains($"<{n}>")))
                    yield return method;
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
