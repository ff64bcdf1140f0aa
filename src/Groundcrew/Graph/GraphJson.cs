using System.Text.Json;
using Groundcrew.Core;

namespace Groundcrew.Graph;

/// <summary>
/// The fields of a node and an edge that `graph --format json` and the HTML report's data block both write, written once
/// so the two never drift apart. Each caller adds what only it needs (ids or indexes for edge ends, groups, findings).
/// </summary>
internal static class GraphJson
{
    /// <summary>id, kind, label and title.</summary>
    public static void NodeNames(Utf8JsonWriter w, GraphNode n, Func<string?, string> scrub)
    {
        w.WriteString("id", scrub(n.Id));
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
