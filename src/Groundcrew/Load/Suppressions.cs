using System.Text.RegularExpressions;
using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Load;

/// <summary>One `groundcrew:ignore` instruction: which rule, why, and what it covers.</summary>
public sealed record Suppression(string RuleId, string? Reason, SourceSpan Where);

/// <summary>
/// Inline suppressions. In YAML, a comment `# groundcrew:ignore rule-id reason` silences that rule on the
/// next line (or on its own line when it trails a value). On a Kubernetes object, the annotation
/// `groundcrew.dev/ignore: "rule-id: reason"` (several separated by newlines or `;`) silences it for the object.
/// </summary>
public sealed partial class Suppressions
{
    public const string Annotation = "groundcrew.dev/ignore";

    private readonly Dictionary<(string File, int Line), List<Suppression>> _byLine = new();
    private readonly List<(Resource Resource, Suppression S)> _byResource = new();
    private readonly List<Suppression> _all = new();
    private readonly HashSet<(string File, int Line, string Rule)> _seen = new();
    private readonly object _gate = new();

    /// <summary>Every suppression found, once each (a base file read through several overlays counts once).</summary>
    public IReadOnlyList<Suppression> All { get { lock (_gate) return _all.ToList(); } }

    public void ScanComments(string file, string text)
    {
        if (!text.Contains("groundcrew:ignore", StringComparison.Ordinal)) return;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var m = CommentPattern().Match(lines[i]);
            if (!m.Success) continue;
            var s = new Suppression(m.Groups["rule"].Value, NullIfEmpty(m.Groups["reason"].Value), new SourceSpan(file, i + 1, m.Index + 1));
            var ownLineIsComment = lines[i].TrimStart().StartsWith('#');
            var target = ownLineIsComment ? NextContentLine(lines, i) : i + 1;
            // Files are loaded in parallel: all shared state changes under one lock.
            lock (_gate)
            {
                if (!_seen.Add((file, i + 1, s.RuleId))) continue;
                _all.Add(s);
                Add(_byLine, (file, target), s);
                Add(_byLine, (file, i + 1), s);
            }
        }
    }

    private static int NextContentLine(string[] lines, int i)
    {
        for (var j = i + 1; j < lines.Length; j++)
        {
            var t = lines[j].Trim();
            if (t.Length > 0 && !t.StartsWith('#')) return j + 1;
        }
        return i + 2;
    }

    public void ScanAnnotations(IEnumerable<Resource> resources)
    {
        foreach (var r in resources)
        {
            if (!r.Annotations.TryGetValue(Annotation, out var node) || node.Value == null) continue;
            foreach (var part in node.Value.Split(['\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var colon = part.IndexOf(':');
                var rule = (colon < 0 ? part : part[..colon]).Trim();
                var reason = colon < 0 ? null : NullIfEmpty(part[(colon + 1)..].Trim());
                var s = new Suppression(rule, reason, node.Span);
                lock (_gate)
                {
                    if (_seen.Add((node.Span.File, node.Span.StartLine, rule))) _all.Add(s);
                    _byResource.Add((r, s));
                }
            }
        }
    }

    /// <summary>Whether a finding is silenced: by a comment on its line, or by an annotation on the resource whose file and lines contain it.</summary>
    public bool IsSuppressed(Finding f, Func<Finding, Resource?> ownerOf)
    {
        if (_byLine.TryGetValue((f.Span.File, f.Span.StartLine), out var list) && list.Any(s => Matches(s, f.RuleId))) return true;
        if (_byResource.Count == 0) return false;
        var owner = ownerOf(f);
        return owner != null && _byResource.Any(x => ReferenceEquals(x.Resource, owner) && Matches(x.S, f.RuleId));
    }

    private static bool Matches(Suppression s, string ruleId) => s.RuleId == ruleId || s.RuleId == "all";

    private static void Add<TKey>(Dictionary<TKey, List<Suppression>> d, TKey key, Suppression s) where TKey : notnull
    {
        if (!d.TryGetValue(key, out var l)) d[key] = l = new List<Suppression>();
        l.Add(s);
    }

    private static string? NullIfEmpty(string s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    [GeneratedRegex(@"#\s*groundcrew:ignore\s+(?<rule>[a-z0-9-]+)(?:\s+(?<reason>.*?))?\s*$")]
    private static partial Regex CommentPattern();
}
