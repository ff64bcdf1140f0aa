using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Ecs;

/// <summary>A named entry of a container's `environment` or `secrets` list, with the nodes to point at.</summary>
internal sealed record NamedEntry(string Name, MapNode Entry, ScalarNode NameNode);

/// <summary>
/// Shared reading of ECS container definitions for the ECS rules: named entries of `environment`/`secrets`
/// (defensive: non-map items and entries without a string name are skipped), and the pairing of each task
/// definition with its --base revision (same file, same family; containers by name).
/// </summary>
internal static class EcsRevisions
{
    public sealed record Pair(EcsTaskDefinition Current, EcsTaskDefinition Previous, string Revision);

    public static List<NamedEntry> Named(MapNode container, string key)
    {
        var result = new List<NamedEntry>();
        if (container[key] is not SeqNode seq) return result;
        foreach (var item in seq.Items)
            if (item is MapNode m && m["name"] is ScalarNode { IsNull: false, Value: { Length: > 0 } name } node)
                result.Add(new NamedEntry(name, m, node));
        return result;
    }

    public static bool HasItems(MapNode container, string key) => container[key] is SeqNode { Items.Count: > 0 };

    /// <summary>Each current task definition with the one of the same family in the same file at the base revision.</summary>
    public static IEnumerable<Pair> Pairs(DeploymentModel model)
    {
        if (model.BaseRevision is not { } revision) yield break;
        foreach (var file in model.TaskDefinitions.GroupBy(t => t.Resource.File))
        {
            if (!model.PreviousTaskDefinitions.TryGetValue(file.Key, out var previous) || previous.Count == 0) continue;
            var byFamily = previous.GroupBy(p => p.Family, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var taken = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var current in file)
            {
                // Several task definitions of one family in one file: pair them in order.
                if (!byFamily.TryGetValue(current.Family, out var candidates)) continue;
                var i = taken.GetValueOrDefault(current.Family);
                if (i >= candidates.Count) continue;
                taken[current.Family] = i + 1;
                yield return new Pair(current, candidates[i], revision);
            }
        }
    }

    /// <summary>Containers present in both revisions, matched by name (containers without a name are not matched).</summary>
    public static IEnumerable<(Container Current, Container Previous)> Containers(Pair pair)
    {
        var previous = new Dictionary<string, Container>(StringComparer.Ordinal);
        foreach (var c in pair.Previous.Containers)
            if (c.Name.Length > 0) previous.TryAdd(c.Name, c);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in pair.Current.Containers)
            if (c.Name.Length > 0 && seen.Add(c.Name) && previous.TryGetValue(c.Name, out var p))
                yield return (c, p);
    }

    /// <summary>Where to point for a container-level finding: the given key's node, else the container's name, else the container.</summary>
    public static Node Anchor(Container c, string? key = null) =>
        (key != null ? c.Node.Entry(key)?.Key : null) ?? c.Node["name"] ?? c.Node;

    public static string List(IEnumerable<string> names, int max = 5)
    {
        var all = names.ToList();
        var shown = string.Join(", ", all.Take(max).Select(n => $"`{n}`"));
        return all.Count > max ? $"{shown} and {all.Count - max} more" : shown;
    }

    /// <summary>Related locations at the previous revision's entries (the runner names that file `path@REV`).</summary>
    public static List<RelatedLocation> Was(IEnumerable<NamedEntry> entries, string revision, string what, int max = 5) =>
        entries.Take(max).Select(e => new RelatedLocation(e.Entry.Span, $"`{e.Name}` was {what} here at revision {revision}")).ToList();
}
