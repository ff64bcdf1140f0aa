using System.Text.Json;
using Groundcrew.Core;

namespace Groundcrew.Graph;

/// <summary>
/// The fields of a node and an edge that `graph --format json` and the HTML report's data block both write, written once
/// so the two never drift apart. Each caller adds what only it needs (ids or indexes for edge ends, groups, findings).
/// </summary>
internal static class GraphJson
{
    /// <summary>
    /// Each node's id as written: scrubbed like every other text, and unique even when scrubbing masked part of two ids
    /// the same way (a resource named after a secret value): such an id gets its node's index (`ConfigMap/app/****#7`).
    /// </summary>
    public static string[] Ids(DeploymentGraph graph, Func<string?, string> scrub)
    {
        // Scrubbed once per node: the ids scrubbing leaves alone are reserved first, so a renamed one never takes them.
        var ids = graph.Nodes.Select(n => ScrubId(n, scrub)).ToArray();
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++) if (ids[i] == graph.Nodes[i].Id) used.Add(ids[i]);
        for (var i = 0; i < ids.Length; i++)
        {
            var n = graph.Nodes[i];
            var id = ids[i];
            if (id != n.Id)
            {
                var unique = $"{id}#{n.Index}";
                while (!used.Add(unique)) unique += "_";
                id = unique;
            }
            ids[i] = id;
        }
        return ids;
    }

    /// <summary>
    /// An id that starts with its node's kind (`aws-secret:shop/db-AbCdEf`) is scrubbed without that prefix: read whole,
    /// `aws-secret:` looked like a credential key and its value (a secret's name or ARN, not its value) was masked.
    /// The rest still goes through every mask, so a secret value inside it stays hidden.
    /// </summary>
    private static string ScrubId(GraphNode n, Func<string?, string> scrub)
    {
        var prefix = n.Kind + ":";
        return n.Id.Length > prefix.Length && n.Id.StartsWith(prefix, StringComparison.Ordinal)
            ? prefix + scrub(n.Id[prefix.Length..])
            : scrub(n.Id);
    }

    /// <summary>id (from <see cref="Ids"/>), kind, label and title.</summary>
    public static void NodeNames(Utf8JsonWriter w, GraphNode n, string id, Func<string?, string> scrub)
    {
        w.WriteString("id", id);
        w.WriteString("kind", n.Kind);
        w.WriteString("label", scrub(n.Label));
        w.WriteString("title", scrub(n.Title));
    }

    /// <summary>external and live (only when true), and the source location when there is one.</summary>
    public static void NodePlace(Utf8JsonWriter w, GraphNode n)
    {
        if (n.External) w.WriteBoolean("external", true);
        if (n.Live) w.WriteBoolean("live", true);
        Location(w, n.Span);
    }

    /// <summary>label, state, detail (when known) and the source location of the reference.</summary>
    public static void EdgeBody(Utf8JsonWriter w, GraphEdge e, Func<string?, string> scrub)
    {
        w.WriteString("label", scrub(e.Label));
        w.WriteString("state", e.State.ToString().ToLowerInvariant());
        if (e.Detail != null) w.WriteString("detail", scrub(e.Detail));
        Location(w, e.Span);
    }

    private static void Location(Utf8JsonWriter w, SourceSpan? span)
    {
        if (span is not { } s) return;
        w.WriteString("file", s.File);
        w.WriteNumber("line", s.StartLine);
    }
}
