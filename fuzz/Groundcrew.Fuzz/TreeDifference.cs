using Groundcrew.Core;
using Groundcrew.Load;

namespace Groundcrew.Fuzz;

/// <summary>
/// The first difference between the fast YAML reader's documents and the general loader's (values, kinds, spans,
/// document indexes), or null when they are the same tree. The one copy of this comparison: the yaml-diff target throws
/// on it, and the tests (FastYamlReaderTests over the corpus, FastYamlReaderFuzzTests) assert it is null.
/// </summary>
public static class TreeDifference
{
    public static string? Between(IReadOnlyList<LoadedDocument> fast, LoadResult general)
    {
        if (general.Error != null) return $"general loader failed ({general.Error.Message} at {general.Error.Line}) but the fast reader read it";
        if (fast.Count != general.Documents.Count) return $"{fast.Count} documents, general {general.Documents.Count}";
        for (var i = 0; i < fast.Count; i++)
        {
            if (fast[i].Index != general.Documents[i].Index) return $"document {i}: index {fast[i].Index}, general {general.Documents[i].Index}";
            if (Node(fast[i].Root, general.Documents[i].Root, $"doc{i}") is { } d) return d;
        }
        return null;
    }

    private static string S(SourceSpan s) => $"{s.StartLine}:{s.StartColumn}-{s.EndLine}:{s.EndColumn}";

    private static string? Node(Node a, Node b, string path)
    {
        if (a.GetType() != b.GetType()) return $"{path}: {a.GetType().Name}, general {b.GetType().Name}";
        if (a.Span != b.Span) return $"{path}: span {S(a.Span)}, general {S(b.Span)}";
        switch (a)
        {
            case ScalarNode sa:
                var sb = (ScalarNode)b;
                if (sa.Value != sb.Value) return $"{path}: value {Show(sa.Value)}, general {Show(sb.Value)}";
                return sa.Kind != sb.Kind ? $"{path}: kind {sa.Kind}, general {sb.Kind}" : null;
            case SeqNode qa:
                var qb = (SeqNode)b;
                if (qa.Items.Count != qb.Items.Count) return $"{path}: {qa.Items.Count} items, general {qb.Items.Count}";
                for (var i = 0; i < qa.Items.Count; i++)
                    if (Node(qa.Items[i], qb.Items[i], $"{path}[{i}]") is { } d) return d;
                return null;
            case MapNode ma:
                var mb = (MapNode)b;
                if (ma.Entries.Count != mb.Entries.Count) return $"{path}: {ma.Entries.Count} entries, general {mb.Entries.Count}";
                for (var i = 0; i < ma.Entries.Count; i++)
                {
                    var (ea, eb) = (ma.Entries[i], mb.Entries[i]);
                    if (ea.Name != eb.Name || ea.KeyKind != eb.KeyKind || ea.KeySpan != eb.KeySpan)
                        return $"{path}: key {Show(ea.Name)} {ea.KeyKind} {S(ea.KeySpan)}, general {Show(eb.Name)} {eb.KeyKind} {S(eb.KeySpan)}";
                    if (Node(ea.Value, eb.Value, $"{path}.{ea.Name}") is { } d) return d;
                }
                return null;
        }
        return null;
    }

    /// <summary>A value as a JSON string: quoted, with control characters escaped, so a fuzzed value prints on one line.</summary>
    private static string Show(string? s) => s == null ? "null" : System.Text.Json.JsonSerializer.Serialize(s);
}
