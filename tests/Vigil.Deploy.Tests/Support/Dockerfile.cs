using System.Text.RegularExpressions;

namespace Vigil.Deploy.Tests.Support;

/// <summary>One Dockerfile instruction, continuation lines joined, comments dropped.</summary>
public sealed record Instruction(string Keyword, string Args, int Line);

/// <summary>One build stage: its <c>FROM</c> reference (unexpanded), name, and instructions.</summary>
public sealed record Stage(string From, string? Name, IReadOnlyList<Instruction> Instructions)
{
    public IEnumerable<Instruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);
}

/// <summary>Reads a Dockerfile into global ARGs and stages, and resolves <c>FROM</c> chains for a build-arg set.</summary>
public sealed class Dockerfile
{
    private static readonly Regex Variable = new(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)");

    public Dockerfile(string text)
    {
        var instructions = new List<Instruction>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var start = i;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var joined = line;
            while (joined.EndsWith('\\') && i + 1 < lines.Length)
            {
                joined = joined[..^1];
                var next = lines[++i].Trim();
                if (next.StartsWith('#')) { joined += "\\"; continue; } // comment lines inside a continuation are skipped
                joined += " " + next;
            }

            var space = joined.IndexOfAny([' ', '\t']);
            instructions.Add(space < 0
                ? new Instruction(joined.ToUpperInvariant(), "", start + 1)
                : new Instruction(joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim(), start + 1));
        }

        var globals = new Dictionary<string, string>();
        var stages = new List<Stage>();
        List<Instruction>? current = null;
        foreach (var ins in instructions)
        {
            if (ins.Keyword == "FROM")
            {
                var parts = ins.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToArray();
                current = [];
                stages.Add(new Stage(parts[0], parts.Length >= 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null, current));
            }
            else if (current is null)
            {
                if (ins.Keyword != "ARG") throw new InvalidDataException($"Dockerfile line {ins.Line}: only ARG may come before the first FROM.");
                var eq = ins.Args.IndexOf('=', StringComparison.Ordinal);
                globals[eq < 0 ? ins.Args : ins.Args[..eq]] = eq < 0 ? "" : ins.Args[(eq + 1)..];
            }
            else
            {
                current.Add(ins);
            }
        }

        GlobalArgs = globals;
        Stages = stages;
    }

    public IReadOnlyDictionary<string, string> GlobalArgs { get; }
    public IReadOnlyList<Stage> Stages { get; }
    public Stage Final => Stages[^1];

    public Stage? StageNamed(string name) => Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public string Expand(string text, IReadOnlyDictionary<string, string> buildArgs) =>
        Variable.Replace(text, m =>
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            return buildArgs.TryGetValue(name, out var v) ? v : GlobalArgs.TryGetValue(name, out var d) ? d : m.Value;
        });

    /// <summary>The FROM chain of a stage down to an external image, for the given build args.</summary>
    public List<string> BaseChain(Stage stage, IReadOnlyDictionary<string, string> buildArgs)
    {
        var chain = new List<string>();
        for (var s = stage; ;)
        {
            var from = Expand(s.From, buildArgs);
            chain.Add(from);
            var next = StageNamed(from);
            if (next is null || chain.Count > Stages.Count) return chain;
            s = next;
        }
    }
}

/// <summary>.dockerignore rules as Docker applies them: last matching pattern wins, '!' re-includes, a matched
/// folder excludes everything under it, '**' spans folders.</summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude, string Source)> _rules = [];

    public DockerIgnore(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Trim('/');
            var regex = "^" + Regex.Escape(pattern)
                .Replace(@"\*\*/", "(.*/)?", StringComparison.Ordinal)
                .Replace(@"\*\*", ".*", StringComparison.Ordinal)
                .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
                .Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$";
            _rules.Add((new Regex(regex), exclude, line));
        }
    }

    /// <summary>Whether a repository-relative path (forward slashes) is left out of the build context.</summary>
    public bool Excludes(string path)
    {
        var candidates = new List<string>();
        var parts = path.Trim('/').Split('/');
        for (var i = 1; i <= parts.Length; i++) candidates.Add(string.Join('/', parts.Take(i)));
        var excluded = false;
        foreach (var (pattern, exclude, _) in _rules)
        {
            if (candidates.Any(pattern.IsMatch)) excluded = exclude;
        }

        return excluded;
    }
}
