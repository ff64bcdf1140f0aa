using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Graph;

/// <summary>
/// Ties findings to the graph: a location belongs to the smallest node whose source lines hold it (a container inside
/// its Deployment, a Deployment inside its file); a location outside every drawn resource goes to the app folder that
/// holds the file, or to a node for the file itself. An error or warning at the line of an edge marks the edge broken.
/// A finding's chain is its nodes, the edges at its lines, and the shortest paths (up to three edges) joining them.
/// </summary>
internal sealed class FindingMapper(GraphBuilder builder, IReadOnlyList<Finding> findings)
{
    private readonly record struct Interval(int Start, int End, GraphNode? Node, Resource? Resource = null, string? File = null);

    private readonly Dictionary<string, List<Interval>> _intervals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Interval>> _undrawn = new(StringComparer.Ordinal);
    private readonly Dictionary<(string File, int Line), List<int>> _edgesAt = new();

    public IReadOnlyList<FindingChain> Map()
    {
        if (findings.Count == 0) return [];
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in findings)
        {
            files.Add(f.Span.File);
            foreach (var r in f.Related ?? []) files.Add(r.Span.File);
        }
        IndexLines(files);
        for (var i = 0; i < builder.Edges.Count; i++)
            foreach (var s in builder.Edges[i].MoreSpans.Prepend(builder.Edges[i].Span ?? default))
                if (s.File != null && files.Contains(s.File))
                    Add(_edgesAt, (s.File, s.StartLine), i);

        var found = new List<(List<int> Nodes, List<int> Edges)>(findings.Count);
        for (var i = 0; i < findings.Count; i++)
        {
            var f = findings[i];
            var nodes = new List<int>();
            var edges = new List<int>();
            foreach (var span in new[] { f.Span }.Concat((f.Related ?? []).Select(r => r.Span)))
            {
                foreach (var n in NodesAt(span))
                    if (!nodes.Contains(n.Index)) nodes.Add(n.Index);
                foreach (var e in _edgesAt.GetValueOrDefault((span.File, span.StartLine)) ?? [])
                {
                    if (edges.Contains(e)) continue;
                    edges.Add(e);
                    var edge = builder.Edges[e];
                    if (span == f.Span && f.Severity >= Severity.Warning) edge.State = EdgeState.Broken;
                    if (span == f.Span && edge.State != EdgeState.Resolved) edge.Detail ??= f.Message;
                    foreach (var end in new[] { edge.From, edge.To })
                        if (!nodes.Contains(end)) nodes.Add(end);
                }
            }
            // Every node of the chain lists the finding: a click on the role shows the secret it cannot read.
            foreach (var n in nodes) builder.Nodes[n].Findings.Add(i);
            found.Add((nodes, edges));
        }
        // Adjacency once every node exists (mapping a finding may add a node for a file or an app folder).
        var incidence = new List<int>[builder.Nodes.Count];
        for (var n = 0; n < incidence.Length; n++) incidence[n] = new List<int>();
        for (var e = 0; e < builder.Edges.Count; e++)
        {
            incidence[builder.Edges[e].From].Add(e);
            incidence[builder.Edges[e].To].Add(e);
        }
        var chains = new List<FindingChain>(findings.Count);
        foreach (var (nodes, edges) in found)
        {
            Join(nodes, edges, incidence);
            chains.Add(new FindingChain(nodes, edges));
        }
        return chains;
    }

    /// <summary>Adds the shortest path (at most three edges) from the first node to each other node of the chain, and the edges between chain nodes.</summary>
    private void Join(List<int> nodes, List<int> edges, List<int>[] incidence)
    {
        if (nodes.Count < 2) return;
        var start = nodes[0];
        var targets = nodes.Skip(1).ToHashSet();
        var previous = new Dictionary<int, (int Node, int Edge)> { [start] = (-1, -1) };
        var frontier = new List<int> { start };
        for (var depth = 0; depth < 3 && frontier.Count > 0 && targets.Count > 0; depth++)
        {
            var next = new List<int>();
            foreach (var n in frontier)
                foreach (var e in incidence[n])
                {
                    var edge = builder.Edges[e];
                    var m = edge.From == n ? edge.To : edge.From;
                    if (!previous.TryAdd(m, (n, e))) continue;
                    next.Add(m);
                    targets.Remove(m);
                }
            frontier = next;
        }
        foreach (var target in nodes.Skip(1).ToList())
        {
            if (!previous.ContainsKey(target)) continue;
            for (var at = target; previous[at].Node != -1; at = previous[at].Node)
            {
                if (!nodes.Contains(at)) nodes.Add(at);
                if (!edges.Contains(previous[at].Edge)) edges.Add(previous[at].Edge);
            }
        }
        var set = nodes.ToHashSet();
        foreach (var n in nodes)
            foreach (var e in incidence[n])
                if (set.Contains(builder.Edges[e].From) && set.Contains(builder.Edges[e].To) && !edges.Contains(e)) edges.Add(e);
    }

    private IEnumerable<GraphNode> NodesAt(SourceSpan span)
    {
        var found = Smallest(_intervals, span);
        if (found.Count == 0 && Smallest(_undrawn, span) is { Count: > 0 } undrawn)
        {
            // A resource we do not draw gets a box only when a finding is about it.
            foreach (var iv in undrawn)
            {
                var node = builder.NodeOf(iv.Resource!);
                foreach (var other in _undrawn.Values.SelectMany(l => l).Where(u => u.Resource == iv.Resource))
                    Add(_intervals, other.File!, other with { Node = node });
                found.Add(iv with { Node = node });
            }
            foreach (var list in _undrawn.Values) list.RemoveAll(u => undrawn.Any(x => x.Resource == u.Resource));
        }
        if (found.Count > 0)
        {
            foreach (var iv in found) yield return iv.Node!;
            yield break;
        }
        if (span.File.StartsWith('<')) yield break;
        var app = builder.Model.Apps.Where(a => a.DisplayPath == "." || span.File.StartsWith(a.DisplayPath + "/", StringComparison.Ordinal))
            .OrderByDescending(a => a.DisplayPath.Length).FirstOrDefault();
        yield return app != null && app.DisplayPath != "." ? builder.AppNode(app) : builder.FileNode(span.File);
    }

    /// <summary>The intervals of the file holding the line with the fewest lines (two rendered copies of one base both hold it: both count).</summary>
    private static List<Interval> Smallest(Dictionary<string, List<Interval>> index, SourceSpan span)
    {
        var result = new List<Interval>();
        if (!index.TryGetValue(span.File, out var list)) return result;
        var best = int.MaxValue;
        foreach (var iv in list)
            if (iv.Start <= span.StartLine && span.StartLine <= iv.End) best = Math.Min(best, iv.End - iv.Start);
        foreach (var iv in list)
            if (iv.Start <= span.StartLine && span.StartLine <= iv.End && iv.End - iv.Start == best) result.Add(iv);
        return result;
    }

    /// <summary>The lines each node's resource (and each container) covers, in the files that hold findings; the same for resources not drawn.</summary>
    private void IndexLines(HashSet<string> files)
    {
        foreach (var node in builder.Nodes.ToList())
            if (node.Body != null && node.Span is { } s && files.Contains(s.File))
                AddRange(_intervals, node, null, node.Body);
        foreach (var r in builder.Model.Resources)
        {
            if (!files.Contains(r.File) && r.RenderedFrom == null && !files.Contains(r.Body.Span.File)) continue;
            if (builder.TryGetNode(r, out var node)) AddRange(_intervals, node, null, r.Body);
            else AddRange(_undrawn, null, r, r.Body);
        }
    }

    private static void AddRange(Dictionary<string, List<Interval>> index, GraphNode? node, Resource? resource, Node? body)
    {
        if (body == null) return;
        var ranges = new Dictionary<string, (int Min, int Max)>(StringComparer.Ordinal);
        foreach (var n in body.Descendants())
        {
            var s = n.Span;
            if (s.StartLine <= 0 || string.IsNullOrEmpty(s.File)) continue;
            var end = Math.Max(s.StartLine, s.EndLine);
            ranges[s.File] = ranges.TryGetValue(s.File, out var r) ? (Math.Min(r.Min, s.StartLine), Math.Max(r.Max, end)) : (s.StartLine, end);
        }
        foreach (var (file, (min, max)) in ranges)
            Add(index, file, new Interval(min, max, node, resource, file));
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> d, TKey key, TValue value) where TKey : notnull
    {
        if (!d.TryGetValue(key, out var list)) d[key] = list = new List<TValue>();
        list.Add(value);
    }
}
