using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Vigil.Deploy.Tests.Support;

/// <summary>One configuration key the silo's code reads, with the C# type it binds to (null when read as a raw string).</summary>
public sealed record ConfigKey(string Key, string? Type, string DeclaredIn);

/// <summary>
/// What the silo actually reads and serves, taken from its source with Roslyn's parser (no compilation, so no
/// TorchSharp): options classes (<c>const string Section = "Vigil:..."</c> plus their settable properties),
/// <c>"Vigil:..."</c> keys read directly, enum members, HTTP routes, and a host shutdown timeout set in code.
/// </summary>
public sealed class SiloSource
{
    private static readonly Regex KeyLiteral = new(@"^Vigil(:[A-Za-z][A-Za-z0-9]*){2,}$", RegexOptions.CultureInvariant);

    private SiloSource(IReadOnlyDictionary<string, ConfigKey> keys, IReadOnlyDictionary<string, string[]> enums,
        IReadOnlySet<string> getRoutes, int? shutdownTimeoutSeconds, int siloOptionsClasses)
    {
        Keys = keys;
        Enums = enums;
        GetRoutes = getRoutes;
        ShutdownTimeoutSecondsInCode = shutdownTimeoutSeconds;
        SiloOptionsClasses = siloOptionsClasses;
    }

    public static SiloSource Instance { get; } = Load();

    /// <summary>Configuration keys, colon form (<c>Vigil:Silo:Accelerator</c>), case-insensitive like .NET configuration.</summary>
    public IReadOnlyDictionary<string, ConfigKey> Keys { get; }

    public IReadOnlyDictionary<string, string[]> Enums { get; }

    /// <summary>Literal routes of <c>MapGet</c> calls in the silo project.</summary>
    public IReadOnlySet<string> GetRoutes { get; }

    /// <summary><c>HostOptions.ShutdownTimeout</c> when the silo sets it in code (it then wins over configuration).</summary>
    public int? ShutdownTimeoutSecondsInCode { get; }

    /// <summary>Options classes in the silo project itself; zero while the host has not grown its configuration yet.</summary>
    public int SiloOptionsClasses { get; }

    /// <summary>The key an environment variable name maps to (<c>Vigil__Silo__Device</c> → <c>Vigil:Silo:Device</c>).</summary>
    public static string KeyOfEnvironmentName(string env) => env.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>Null when <paramref name="value"/> fits the key's C# type, else why not.</summary>
    public string? CheckValue(ConfigKey key, string value)
    {
        var type = key.Type?.TrimEnd('?');
        var ok = type switch
        {
            null or "string" => true,
            "bool" => bool.TryParse(value, out _),
            "int" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "long" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "double" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ when Enums.TryGetValue(type, out var members) => members.Contains(value, StringComparer.OrdinalIgnoreCase),
            _ => true,
        };
        return ok ? null : $"'{value}' is not a valid {key.Type} for {key.Key} (declared in {key.DeclaredIn})";
    }

    private static SiloSource Load()
    {
        var keys = new Dictionary<string, ConfigKey>(StringComparer.OrdinalIgnoreCase);
        var enums = new Dictionary<string, string[]>();
        var routes = new HashSet<string>(StringComparer.Ordinal);
        int? shutdown = null;
        var siloOptionsClasses = 0;

        var src = Repo.PathOf("src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var siloDir = Repo.PathOf("src", "Vigil.Silo") + Path.DirectorySeparatorChar;

        foreach (var file in files)
        {
            var rel = Path.GetRelativePath(Repo.Root, file);
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file).GetCompilationUnitRoot();

            foreach (var e in root.DescendantNodes().OfType<EnumDeclarationSyntax>())
                enums[e.Identifier.Text] = e.Members.Select(m => m.Identifier.Text).ToArray();

            foreach (var cls in root.DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                var section = SectionOf(cls);
                if (section is null) continue;
                if (file.StartsWith(siloDir, StringComparison.Ordinal)) siloOptionsClasses++;
                foreach (var p in cls.Members.OfType<PropertyDeclarationSyntax>())
                {
                    if (!p.Modifiers.Any(SyntaxKind.PublicKeyword) || p.Modifiers.Any(SyntaxKind.StaticKeyword)) continue;
                    var settable = p.AccessorList?.Accessors.Any(a =>
                        (a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration))
                        && !a.Modifiers.Any(m => m.IsKind(SyntaxKind.PrivateKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword))) ?? false;
                    if (!settable) continue;
                    var key = $"{section}:{p.Identifier.Text}";
                    // A typed declaration beats a raw "Vigil:..." literal seen earlier in another file.
                    if (!keys.TryGetValue(key, out var seen) || seen.Type is null)
                        keys[key] = new ConfigKey(key, p.Type.ToString(), rel);
                }
            }

            foreach (var lit in root.DescendantNodes().OfType<LiteralExpressionSyntax>())
            {
                if (lit.IsKind(SyntaxKind.StringLiteralExpression) && KeyLiteral.IsMatch(lit.Token.ValueText)
                    && lit.Parent?.Parent is not VariableDeclaratorSyntax { Identifier.Text: "Section" or "SectionName" })
                {
                    keys.TryAdd(lit.Token.ValueText, new ConfigKey(lit.Token.ValueText, null, rel));
                }
            }

            if (!file.StartsWith(siloDir, StringComparison.Ordinal)) continue;

            foreach (var call in root.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (call.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "MapGet" }
                    && call.ArgumentList.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax route
                    && route.IsKind(SyntaxKind.StringLiteralExpression))
                {
                    routes.Add(route.Token.ValueText);
                }
            }

            foreach (var assign in root.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (assign.Left is MemberAccessExpressionSyntax { Name.Identifier.Text: "ShutdownTimeout" } or IdentifierNameSyntax { Identifier.Text: "ShutdownTimeout" }
                    && assign.Right is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "FromSeconds" } } from
                    && from.ArgumentList.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax seconds
                    && int.TryParse(seconds.Token.ValueText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
                {
                    shutdown = Math.Max(shutdown ?? 0, s);
                }
            }
        }

        return new SiloSource(keys, enums, routes, shutdown, siloOptionsClasses);
    }

    private static string? SectionOf(ClassDeclarationSyntax cls)
    {
        foreach (var field in cls.Members.OfType<FieldDeclarationSyntax>())
        {
            if (!field.Modifiers.Any(SyntaxKind.ConstKeyword)) continue;
            foreach (var v in field.Declaration.Variables)
            {
                if (v.Identifier.Text is "Section" or "SectionName"
                    && v.Initializer?.Value is LiteralExpressionSyntax lit
                    && lit.Token.ValueText.StartsWith("Vigil:", StringComparison.Ordinal))
                {
                    return lit.Token.ValueText;
                }
            }
        }

        return null;
    }
}
