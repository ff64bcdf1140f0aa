using Groundcrew.Core;

namespace Groundcrew.Load.Kustomize;

/// <summary>
/// Points every value of a rendered Kustomize object back at the file a person must edit.
/// For each rendered value, the candidate sources are the resource and patch documents of the same kind
/// whose name the rendered name contains (prefixes and suffixes are added by Kustomize). The value comes from
/// the latest candidate (patches win) that has the same path and the same value; failing that, from any
/// candidate with the path; failing that, from the nearest ancestor that was mapped. Container images
/// changed by an `images:` entry point at that entry. Lists of named items (containers, env, ports) are
/// matched by name, not index, because strategic merge patches merge them by name.
/// </summary>
public static class RenderedSpanMapper
{
    public sealed record SourceDoc(MapNode Root, string Kind, string Name, int Order);

    public static void Map(MapNode rendered, IReadOnlyList<SourceDoc> sources, IReadOnlyList<MapNode> imageEntries, SourceSpan fallback)
    {
        var kind = rendered.GetString("kind") ?? "";
        var name = rendered.GetMap("metadata")?.GetString("name") ?? "";
        var candidates = sources
            .Where(s => s.Kind == kind && s.Name.Length > 0 && name.Contains(s.Name, StringComparison.Ordinal))
            .ToList();
        if (candidates.Count > 0)
        {
            var best = candidates.Max(c => c.Name.Length);
            candidates = candidates.Where(c => c.Name.Length == best).OrderByDescending(c => c.Order).ToList();
        }
        var indexes = candidates.Select(c => Index(c.Root)).ToList();
        var rootSpan = candidates.Count > 0 ? candidates[^1].Root.Span : fallback;
        Walk(rendered, "", indexes, rootSpan, imageEntries);
    }

    private static void Walk(Node node, string path, List<Dictionary<string, Node>> indexes, SourceSpan inherited, IReadOnlyList<MapNode> imageEntries)
    {
        var span = Lookup(node, path, indexes) ?? inherited;
        if (node is ScalarNode s && path.EndsWith(".image", StringComparison.Ordinal) && ImageEntryFor(s.Value, imageEntries) is { } entrySpan)
            span = entrySpan;
        node.Span = span;
        switch (node)
        {
            case MapNode m:
                foreach (var e in m.Entries)
                {
                    var childPath = path.Length == 0 ? e.Name : path + "." + e.Name;
                    Walk(e.Value, childPath, indexes, span, imageEntries);
                    e.MoveKey(Lookup(e.Value, childPath, indexes, keyOnly: true) ?? e.Value.Span); // keyOnly: the node itself is not compared
                }
                break;
            case SeqNode seq:
                foreach (var item in seq.Items)
                    Walk(item, path + ItemKey(item), indexes, span, imageEntries);
                break;
        }
    }

    private static SourceSpan? Lookup(Node node, string path, List<Dictionary<string, Node>> indexes, bool keyOnly = false)
    {
        Node? anyMatch = null;
        foreach (var index in indexes)
        {
            if (!index.TryGetValue(path, out var source)) continue;
            if (keyOnly)
            {
                if (source.Parent is MapNode parent)
                    foreach (var e in parent.Entries)
                        if (ReferenceEquals(e.Value, source)) return e.KeySpan;
                return source.Span;
            }
            if (node is ScalarNode rs && source is ScalarNode ss && rs.Value == ss.Value) return ss.Span;
            anyMatch ??= source;
        }
        return anyMatch?.Span;
    }

    private static SourceSpan? ImageEntryFor(string? image, IReadOnlyList<MapNode> entries)
    {
        if (string.IsNullOrEmpty(image)) return null;
        foreach (var e in entries)
        {
            var newName = e["newName"] as ScalarNode;
            var newTag = e["newTag"] as ScalarNode ?? e["digest"] as ScalarNode;
            var effectiveName = newName?.Value ?? e.GetString("name");
            if (effectiveName == null || (newName == null && newTag == null)) continue;
            var repo = StripTagAndDigest(image);
            if (repo == effectiveName) return (newName ?? newTag)!.Span;
        }
        return null;
    }

    private static string StripTagAndDigest(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0) image = image[..at];
        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? image[..colon] : image;
    }

    /// <summary>A path key per node, built the same way for sources and rendered output.</summary>
    private static Dictionary<string, Node> Index(MapNode root)
    {
        var d = new Dictionary<string, Node>(StringComparer.Ordinal);
        void Visit(Node n, string path)
        {
            d.TryAdd(path, n);
            switch (n)
            {
                case MapNode m:
                    foreach (var e in m.Entries) Visit(e.Value, path.Length == 0 ? e.Name : path + "." + e.Name);
                    break;
                case SeqNode s:
                    foreach (var item in s.Items) Visit(item, path + ItemKey(item));
                    break;
            }
        }
        Visit(root, "");
        return d;
    }

    private static string ItemKey(Node item) =>
        item is MapNode m && m.GetString("name") is { } name ? $"[name={name}]"
        : item is MapNode m2 && m2.GetString("containerPort") is { } port ? $"[port={port}]"
        : $"[{item.IndexInParent}]";
}
