using System.Text.Json;
using Groundcrew.Check;
using Groundcrew.Core;
using Groundcrew.Graph;

namespace Groundcrew.Report.Html;

/// <summary>The graph part of the check report's data: nodes, edges and one precomputed layout per way of grouping.</summary>
internal static class HtmlGraph
{
    /// <summary>Above this many nodes only the app grouping is laid out (each layout costs about as much as the scan's rules).</summary>
    private const int AllGroupingsUpTo = 5000;

    public static void Write(Utf8JsonWriter w, DeploymentGraph graph, Func<string?, string> scrub)
    {
        w.WriteStartObject("graph");
        var ids = GraphJson.Ids(graph, scrub);
        w.WriteStartArray("nodes");
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            var n = graph.Nodes[i];
            w.WriteStartObject();
            GraphJson.NodeNames(w, n, ids[i], scrub);
            GraphJson.NodePlace(w, n);
            if (n.Findings.Count > 0)
            {
                w.WriteStartArray("findings");
                foreach (var f in n.Findings) w.WriteNumberValue(f);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("edges");
        foreach (var e in graph.Edges)
        {
            w.WriteStartObject();
            w.WriteNumber("from", e.From);
            w.WriteNumber("to", e.To);
            GraphJson.EdgeBody(w, e, scrub);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("layouts");
        var groupings = graph.Nodes.Count <= AllGroupingsUpTo ? new[] { GroupBy.App, GroupBy.Namespace, GroupBy.Module } : [GroupBy.App];
        foreach (var by in groupings)
        {
            w.WriteStartArray(by.ToString().ToLowerInvariant());
            foreach (var g in GraphLayout.Layout(graph, by))
            {
                w.WriteStartObject();
                w.WriteString("name", scrub(g.Name));
                w.WriteNumber("width", g.Width);
                w.WriteNumber("height", g.Height);
                // [node, x, y, node, x, y, ...]: compact, the page reads it in threes.
                w.WriteStartArray("nodes");
                foreach (var n in g.Nodes)
                {
                    var (x, y) = g.Positions[n];
                    w.WriteNumberValue(n);
                    w.WriteNumberValue(x);
                    w.WriteNumberValue(y);
                }
                w.WriteEndArray();
                w.WriteStartObject("paths");
                foreach (var (e, d) in g.Paths) w.WriteString(e.ToString(System.Globalization.CultureInfo.InvariantCulture), d);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

/// <summary>
/// Lines that hold a Kubernetes Secret's value (data / stringData). The console shows only a finding's own line; the HTML
/// frame also shows its neighbours, so a neighbour holding a secret value shows its key and a mask instead.
/// </summary>
internal static class SecretValueLines
{
    public static HashSet<(string, int)> Of(CheckResult result)
    {
        var files = result.Findings.Select(f => f.Span.File).ToHashSet(StringComparer.Ordinal);
        var lines = new HashSet<(string, int)>();
        foreach (var r in result.Model.OfKind("Secret"))
            foreach (var key in new[] { "data", "stringData" })
                foreach (var e in r.Body.GetMap(key)?.Entries ?? default(MapNode.EntryList))
                    foreach (var n in e.Value.Descendants())
                        if (files.Contains(n.Span.File))
                            for (var l = n.Span.StartLine; l <= Math.Max(n.Span.StartLine, n.Span.EndLine); l++) lines.Add((n.Span.File, l));
        return lines;
    }

    /// <summary>"  password: c2VjcmV0" becomes "  password: ****".</summary>
    public static string Mask(string line)
    {
        var colon = line.IndexOf(':');
        return colon < 0 ? new string(' ', line.Length - line.TrimStart().Length) + Redactor.Mask : line[..(colon + 1)] + " " + Redactor.Mask;
    }
}
