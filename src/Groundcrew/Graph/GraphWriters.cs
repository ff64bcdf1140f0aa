using System.Text;
using System.Text.Json;

namespace Groundcrew.Graph;

/// <summary>
/// `groundcrew graph` output: Graphviz DOT, Mermaid (renders in GitHub markdown) and JSON. Broken edges are red, unknown
/// ones dashed, in every format; nodes are boxed by app folder; what the inventory snapshot saw in the account or cluster
/// ("live" nodes) has a double blue border (DOT) or a rounded blue box (Mermaid). Every label goes through <paramref name="scrub"/>.
/// </summary>
public static class GraphWriters
{
    public static readonly IReadOnlyList<string> Formats = ["mermaid", "dot", "json"];

    public static void Write(string format, DeploymentGraph graph, TextWriter o, Func<string?, string> scrub)
    {
        switch (format)
        {
            case "dot": Dot(graph, o, scrub); break;
            case "json": Json(graph, o, scrub); break;
            default: Mermaid(graph, o, scrub); break;
        }
    }

    public static void Dot(DeploymentGraph graph, TextWriter o, Func<string?, string> scrub)
    {
        static string Q(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
        o.WriteLine("digraph deployment {");
        o.WriteLine("  rankdir=LR;");
        o.WriteLine("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f7fa\", fontname=\"Helvetica\", fontsize=10];");
        o.WriteLine("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#667085\"];");
        var cluster = 0;
        foreach (var group in graph.Nodes.GroupBy(n => n.App).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            o.WriteLine($"  subgraph cluster_{cluster++} {{");
            o.WriteLine($"    label={Q(scrub(group.Key))};");
            foreach (var n in group)
            {
                var style = n.External ? ", style=\"rounded,dashed\", fillcolor=white"
                    : n.Live ? ", style=\"rounded,filled\", fillcolor=\"#e0f2fe\", color=\"#0369a1\", peripheries=2" : "";
                var color = n.Findings.Count > 0 ? ", color=\"#d92d20\", penwidth=2" : "";
                o.WriteLine($"    n{n.Index} [label={Q(scrub(n.Label))}, tooltip={Q(scrub(n.Title))}{style}{color}];");
            }
            o.WriteLine("  }");
        }
        foreach (var e in graph.Edges)
        {
            var attrs = e.State switch
            {
                EdgeState.Broken => ", color=\"#d92d20\", fontcolor=\"#d92d20\", penwidth=2",
                EdgeState.Unknown => ", style=dashed",
                _ => "",
            };
            o.WriteLine($"  n{e.From} -> n{e.To} [label={Q(scrub(e.Label))}{attrs}];");
        }
        o.WriteLine("}");
    }

    public static void Mermaid(DeploymentGraph graph, TextWriter o, Func<string?, string> scrub)
    {
        // Mermaid labels are quoted strings; quotes and markup characters become entity codes (#quot; etc.).
        static string Q(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (var c in s)
                sb.Append(c switch { '"' => "#quot;", '<' => "#lt;", '>' => "#gt;", '#' => "#35;", '\n' => " ", _ => c.ToString() });
            return sb.Append('"').ToString();
        }
        o.WriteLine("flowchart LR");
        var cluster = 0;
        foreach (var group in graph.Nodes.GroupBy(n => n.App).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            o.WriteLine($"  subgraph g{cluster++}[{Q(scrub(group.Key))}]");
            foreach (var n in group)
                o.WriteLine(n.External ? $"    n{n.Index}({Q(scrub(n.Label))})" : n.Live ? $"    n{n.Index}([{Q(scrub(n.Label))}])" : $"    n{n.Index}[{Q(scrub(n.Label))}]");
            o.WriteLine("  end");
        }
        var broken = new List<int>();
        for (var i = 0; i < graph.Edges.Count; i++)
        {
            var e = graph.Edges[i];
            var arrow = e.State == EdgeState.Unknown ? "-.->" : "-->";
            o.WriteLine($"  n{e.From} {arrow}|{Q(scrub(e.Label))}| n{e.To}");
            if (e.State == EdgeState.Broken) broken.Add(i);
        }
        if (broken.Count > 0) o.WriteLine($"  linkStyle {string.Join(",", broken)} stroke:#d92d20,stroke-width:2px,color:#d92d20");
        // Before the findings' class: a live node with a finding keeps the red border.
        var live = graph.Nodes.Where(n => n.Live).Select(n => "n" + n.Index).ToList();
        if (live.Count > 0)
        {
            o.WriteLine("  classDef live fill:#e0f2fe,stroke:#0369a1,stroke-width:2px");
            o.WriteLine($"  class {string.Join(",", live)} live");
        }
        var withFindings = graph.Nodes.Where(n => n.Findings.Count > 0).Select(n => "n" + n.Index).ToList();
        if (withFindings.Count > 0)
        {
            o.WriteLine("  classDef finding stroke:#d92d20,stroke-width:2px");
            o.WriteLine($"  class {string.Join(",", withFindings)} finding");
        }
        var external = graph.Nodes.Where(n => n.External).Select(n => "n" + n.Index).ToList();
        if (external.Count > 0)
        {
            o.WriteLine("  classDef external stroke-dasharray:4 3,fill:#fff");
            o.WriteLine($"  class {string.Join(",", external)} external");
        }
    }

    public static void Json(DeploymentGraph graph, TextWriter o, Func<string?, string> scrub)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var ids = GraphJson.Ids(graph, scrub);
            w.WriteStartObject();
            w.WriteStartArray("nodes");
            for (var i = 0; i < graph.Nodes.Count; i++)
            {
                var n = graph.Nodes[i];
                w.WriteStartObject();
                GraphJson.NodeNames(w, n, ids[i], scrub);
                w.WriteString("app", scrub(n.App));
                w.WriteString("namespace", scrub(n.Namespace));
                w.WriteString("module", scrub(n.Module));
                GraphJson.NodePlace(w, n);
                w.WriteNumber("findings", n.Findings.Count);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("edges");
            foreach (var e in graph.Edges)
            {
                w.WriteStartObject();
                w.WriteString("from", ids[e.From]);
                w.WriteString("to", ids[e.To]);
                GraphJson.EdgeBody(w, e, scrub);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        o.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }
}
