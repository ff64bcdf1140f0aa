using Groundcrew.Core;

namespace Groundcrew.Graph;

/// <summary>How an edge ended up: the model resolved it, the files contradict it (drawn red), or its target was not scanned (dashed).</summary>
public enum EdgeState
{
    Resolved,
    Broken,
    Unknown,
}

/// <summary>The three ways a large graph is cut into boxes that can be collapsed.</summary>
public enum GroupBy
{
    /// <summary>The top-level folder of the file: one box per app or service folder of a monorepo (the default).</summary>
    App,
    /// <summary>The Kubernetes namespace; AWS resources by their Terraform root, template or stack.</summary>
    Namespace,
    /// <summary>The folder of the file (a Kustomize base, a Terraform module, a folder of task definitions).</summary>
    Module,
}

/// <summary>
/// One thing of the deployment: a workload, a container, a Secret, an IAM role, a subnet... <see cref="Kind"/> is the
/// category the picture colours by; <see cref="External"/> marks a target named by a reference but not scanned, and
/// <see cref="Live"/> a thing the inventory snapshot saw in the account or the cluster.
/// </summary>
public sealed class GraphNode
{
    public required int Index { get; init; }
    /// <summary>Stable and readable: "Deployment/ns/name", "aws_iam_role.exec", "container:Deployment/ns/name/app".</summary>
    public required string Id { get; init; }
    public required string Kind { get; init; }
    /// <summary>The short name drawn in the box.</summary>
    public required string Label { get; init; }
    /// <summary>The full name (kind, namespace, address) shown on hover and in the side panel.</summary>
    public required string Title { get; init; }
    public SourceSpan? Span { get; init; }
    public bool External { get; init; }
    /// <summary>Seen in the account or cluster by `check --inventory`/`--live` (no source location: it is not a file's).</summary>
    public bool Live { get; init; }
    public required string App { get; init; }
    public required string Namespace { get; init; }
    public required string Module { get; init; }
    /// <summary>A container's body: findings inside it land on the container rather than on its workload.</summary>
    internal Core.Node? Body { get; init; }
    /// <summary>Indexes into the findings list the graph was built with.</summary>
    public List<int> Findings { get; } = new();

    public string GroupOf(GroupBy by) => by switch { GroupBy.Namespace => Namespace, GroupBy.Module => Module, _ => App };
}

/// <summary>A reference between two nodes, with the place in the files that makes it (the line a person would edit).</summary>
public sealed class GraphEdge
{
    public required int From { get; init; }
    public required int To { get; init; }
    public required string Label { get; set; }
    public EdgeState State { get; set; }
    public SourceSpan? Span { get; init; }
    /// <summary>The places of the references merged into this edge (three env entries naming one Secret are one edge).</summary>
    internal List<SourceSpan> MoreSpans { get; } = new();
    /// <summary>Why it is broken or unknown ("it has DB_HOST, DB_USER"), when the model says.</summary>
    public string? Detail { get; set; }
}

/// <summary>
/// The deployment as a graph: nodes for the resources and what they name, edges for the references the model resolved
/// (and the ones it could not), and for each finding the chain of nodes and edges it is about.
/// </summary>
public sealed class DeploymentGraph
{
    public required IReadOnlyList<GraphNode> Nodes { get; init; }
    public required IReadOnlyList<GraphEdge> Edges { get; init; }
    /// <summary>Per finding (same order as the findings given to the builder): the nodes and edges of its chain.</summary>
    public required IReadOnlyList<FindingChain> Chains { get; init; }

    /// <summary>
    /// The neighbourhood of the resources whose id or label is <paramref name="name"/> (or contains it when nothing
    /// matches exactly): every node within <paramref name="depth"/> edges, either direction. Null when nothing matches.
    /// </summary>
    public DeploymentGraph? Focus(string name, int depth = 2)
    {
        var seeds = Nodes.Where(n => n.Label == name || n.Id == name || n.Id.EndsWith("/" + name, StringComparison.Ordinal)).ToList();
        if (seeds.Count == 0) seeds = Nodes.Where(n => n.Id.Contains(name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (seeds.Count == 0) return null;
        var adjacency = Adjacency();
        var keep = new HashSet<int>(seeds.Select(s => s.Index));
        var frontier = keep.ToList();
        for (var d = 0; d < depth; d++)
        {
            var next = new List<int>();
            foreach (var n in frontier)
                foreach (var m in adjacency[n])
                    if (keep.Add(m)) next.Add(m);
            frontier = next;
        }
        return Subgraph(keep);
    }

    /// <summary>Neighbours of each node, edges taken both ways.</summary>
    public List<int>[] Adjacency()
    {
        var adjacency = new List<int>[Nodes.Count];
        for (var i = 0; i < adjacency.Length; i++) adjacency[i] = new List<int>();
        foreach (var e in Edges)
        {
            adjacency[e.From].Add(e.To);
            adjacency[e.To].Add(e.From);
        }
        return adjacency;
    }

    /// <summary>The nodes kept, renumbered, with the edges between them (chains are dropped: a subgraph is for drawing, not for findings).</summary>
    public DeploymentGraph Subgraph(IReadOnlySet<int> keep)
    {
        var map = new Dictionary<int, int>();
        var nodes = new List<GraphNode>();
        foreach (var n in Nodes.Where(n => keep.Contains(n.Index)))
        {
            map[n.Index] = nodes.Count;
            var copy = new GraphNode
            {
                Index = nodes.Count, Id = n.Id, Kind = n.Kind, Label = n.Label, Title = n.Title, Span = n.Span, External = n.External, Live = n.Live,
                App = n.App, Namespace = n.Namespace, Module = n.Module,
            };
            copy.Findings.AddRange(n.Findings);
            nodes.Add(copy);
        }
        var edges = Edges.Where(e => map.ContainsKey(e.From) && map.ContainsKey(e.To))
            .Select(e => new GraphEdge { From = map[e.From], To = map[e.To], Label = e.Label, State = e.State, Span = e.Span, Detail = e.Detail }).ToList();
        return new DeploymentGraph { Nodes = nodes, Edges = edges, Chains = [] };
    }
}

/// <summary>What a finding is about, drawn: the nodes at its location and related locations, and the edges between them.</summary>
public sealed record FindingChain(IReadOnlyList<int> Nodes, IReadOnlyList<int> Edges);
