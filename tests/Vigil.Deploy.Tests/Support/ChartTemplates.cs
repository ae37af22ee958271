using System.Text.RegularExpressions;

namespace Vigil.Deploy.Tests.Support;

/// <summary>One Go-template action in a chart template, with the blocks it sits in.</summary>
public sealed record TemplateAction(string File, int Line, string Text, IReadOnlyList<string> Enclosing);

/// <summary>
/// Reads the chart's templates as text: the <c>{{ ... }}</c> actions, their block nesting (if/with/range/define
/// … end), and the <c>.Values</c> paths they use. This does not render anything (no Go template engine for .NET
/// is at hand here); it is a structural reading of the template source.
/// </summary>
public sealed class ChartTemplates
{
    private static readonly Regex Action = new(@"\{\{-?(.*?)-?\}\}", RegexOptions.Singleline);
    private static readonly Regex Opens = new(@"^(if|with|range|define|block)\b");

    public ChartTemplates(string chartDir)
    {
        var problems = new List<string>();
        var actions = new List<TemplateAction>();
        var texts = new Dictionary<string, string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(chartDir, "templates")).Order(StringComparer.Ordinal))
        {
            var name = "templates/" + Path.GetFileName(file);
            var text = File.ReadAllText(file);
            texts[name] = text;
            var stack = new Stack<string>();
            foreach (Match m in Action.Matches(text))
            {
                var inner = m.Groups[1].Value.Trim();
                var line = text[..m.Index].Count(c => c == '\n') + 1;
                if (inner.StartsWith("/*", StringComparison.Ordinal))
                {
                    if (!inner.EndsWith("*/", StringComparison.Ordinal)) problems.Add($"{name}:{line}: unterminated comment.");
                    continue;
                }

                actions.Add(new TemplateAction(name, line, inner, stack.Reverse().ToList()));
                if (Opens.IsMatch(inner)) stack.Push(inner);
                else if (inner == "end" && !stack.TryPop(out _)) problems.Add($"{name}:{line}: 'end' without an open block.");
            }

            if (stack.Count > 0) problems.Add($"{name}: {stack.Count} block(s) never closed: {string.Join("; ", stack)}.");
            var stray = Action.Replace(text, "");
            if (stray.Contains("{{", StringComparison.Ordinal) || stray.Contains("}}", StringComparison.Ordinal))
                problems.Add($"{name}: unbalanced '{{{{' or '}}}}'.");
        }

        Actions = actions;
        Texts = texts;
        StructureProblems = problems;
    }

    public IReadOnlyList<TemplateAction> Actions { get; }
    public IReadOnlyDictionary<string, string> Texts { get; }
    public IReadOnlyList<string> StructureProblems { get; }

    /// <summary>Dotted paths after <c>.Values</c> (also <c>$.Values</c>, <c>$root.Values</c>).</summary>
    public IEnumerable<(TemplateAction Action, string Path)> ValuesPaths(string variable = ".Values") =>
        from a in Actions
        from Match m in new Regex(Regex.Escape(variable) + @"((?:\.[A-Za-z_][A-Za-z0-9_]*)+)").Matches(a.Text)
        select (a, m.Groups[1].Value.TrimStart('.'));
}
