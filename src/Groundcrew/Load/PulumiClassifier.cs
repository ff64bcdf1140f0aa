using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Load;

/// <summary>
/// Pulumi documents recognised by content:
/// <list type="bullet">
/// <item><c>pulumi stack export</c>: <c>{"version": 3, "deployment": {"resources": [{"urn", "type", "inputs", "outputs"}]}}</c>;</item>
/// <item><c>pulumi preview --json</c>: <c>{"steps": [{"op", "urn", "newState": {"urn", "type", "inputs"}}]}</c>
/// (the display engine's previewDigest; each step's newState is an apitype.ResourceV3).</item>
/// </list>
/// Each resource becomes a <see cref="ResourceFamily.Pulumi"/> resource (Kind = type token, Name = the URN's name,
/// Body = inputs). <c>aws:ecs/taskDefinition:TaskDefinition</c> becomes an ECS task definition with its
/// <c>containerDefinitions</c> JSON string parsed (every node of it points at the string).
/// </summary>
public static class PulumiClassifier
{
    public const string EcsTaskDefinitionType = "aws:ecs/taskDefinition:TaskDefinition";

    /// <summary>The resource states of a Pulumi document, or null when the document is not one.</summary>
    public static IEnumerable<MapNode>? States(MapNode root)
    {
        if (root.GetMap("deployment")?.GetSeq("resources") is { } resources && resources.Maps.Any(IsState))
            return resources.Maps.Where(IsState);
        if (root.GetSeq("steps") is { } steps && steps.Maps.Any(s => s.GetMap("newState") is { } n && IsState(n)))
            return steps.Maps.Select(s => s.GetMap("newState")).OfType<MapNode>().Where(IsState);
        return null;
    }

    private static bool IsState(MapNode m) =>
        m.GetString("urn") is { } urn && urn.StartsWith("urn:pulumi:", StringComparison.Ordinal) && m.GetString("type") is { Length: > 0 };

    public static IEnumerable<Resource> Classify(IEnumerable<MapNode> states, string file)
    {
        foreach (var state in states)
        {
            var type = state.GetString("type")!;
            var urn = state.GetString("urn")!;
            var sep = urn.LastIndexOf("::", StringComparison.Ordinal);
            var name = sep >= 0 ? urn[(sep + 2)..] : urn;
            var inputs = state.GetMap("inputs") ?? new MapNode { Span = state.Span };
            if (type == EcsTaskDefinitionType && TaskDefinitionBody(inputs) is { } td)
            {
                yield return new Resource
                {
                    Family = ResourceFamily.EcsTaskDefinition, Kind = "TaskDefinition", Name = td.GetString("family") ?? name, Body = td, File = file, PulumiState = state,
                };
                continue;
            }
            yield return new Resource { Family = ResourceFamily.Pulumi, Kind = type, Name = name, Body = inputs, File = file, PulumiState = state };
        }
    }

    /// <summary>The task definition inputs with containerDefinitions (a JSON string in Pulumi) parsed; null when it is not a JSON list.</summary>
    private static MapNode? TaskDefinitionBody(MapNode inputs)
    {
        if (inputs["containerDefinitions"] is not ScalarNode { Value: { } json } text) return null;
        var loaded = JsonTreeLoader.Load(json, text.Span.File);
        if (loaded.Error != null || loaded.Documents.Count != 1 || loaded.Documents[0].Root is not SeqNode containers) return null;
        foreach (var n in containers.Descendants().Concat(containers.Descendants().OfType<MapNode>().SelectMany(m => m.Entries.Select(e => (Node)e.Key))).ToList())
            n.Span = text.Span;
        containers.Span = text.Span;
        var body = new MapNode { Span = inputs.Span };
        foreach (var e in inputs.Entries)
            body.Add(e.Name, e.KeyKind, e.KeySpan, e.Name == "containerDefinitions" ? containers : e.Value);
        return body;
    }
}
