using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Load.Terraform;

/// <summary>
/// Puts scanned plans and scanned .tf together so that nothing is reported twice: <b>the plan wins for values, the .tf for
/// positions</b>.
/// <list type="bullet">
/// <item>A plan belongs to the scanned root module whose own resources and module calls cover most of the addresses in the
/// plan's <c>configuration.root_module</c> (at least half; a tie goes to the module in the plan file's folder, then the
/// nearest folder above it).</item>
/// <item>For that root module, the resources evaluated from the .tf files (and the local modules it calls) are dropped; the
/// plan's resources are used instead.</item>
/// <item>Each plan value is placed where the .tf wrote it: the span the HCL evaluation gave the same value (same instance
/// address, same path inside the body); when the .tf has a different value or none there, the line of the attribute in the
/// resource block, else the block. Values the .tf does not mention at all (provider defaults) point at the resource block.</item>
/// <item>A plan whose root module is not scanned keeps the plan JSON lines.</item>
/// </list>
/// </summary>
public static class TerraformPlanMerge
{
    /// <summary>The model's Terraform resources, and the unexpanded resources of the roots no plan replaces (a plan expands everything).</summary>
    public sealed record Merged(List<Resource> Resources, List<UnexpandedResource> Unexpanded);

    public static Merged Merge(IReadOnlyList<TerraformLoader.Result> results, IReadOnlyList<TerraformPlan> plans)
    {
        var roots = results.SelectMany(r => r.Roots).ToList();
        var owner = new Dictionary<TerraformPlan, TerraformLoader.RootModule>();
        foreach (var plan in plans)
            if (Match(plan, roots) is { } root) owner[plan] = root;
        var replaced = owner.Values.ToHashSet();

        var resources = new List<Resource>();
        var unexpanded = new List<UnexpandedResource>();
        foreach (var root in roots.Where(r => !replaced.Contains(r)))
        {
            resources.AddRange(root.Resources.Select(r => r.Resource));
            unexpanded.AddRange(root.Unexpanded);
        }
        foreach (var plan in plans)
        {
            if (!owner.TryGetValue(plan, out var root))
            {
                resources.AddRange(plan.ToModel());
                continue;
            }
            var byAddress = root.Resources.GroupBy(r => r.Address).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var pr in plan.Resources)
            {
                if (TerraformPlan.ToResource(pr, plan.File) is not { } resource) continue;
                root.Blocks.TryGetValue(pr.ConfigAddress, out var block);
                byAddress.TryGetValue(pr.Address, out var hcl);
                if (block == null && hcl == null) { resources.Add(resource); continue; }
                var blockSpan = block?.Span ?? hcl!.Resource.Body.Span;
                var attributes = block != null ? AttributeSpans(block, resource.Family == ResourceFamily.EcsTaskDefinition) : new Dictionary<string, SourceSpan>();
                Reposition(resource.Body, hcl?.Resource.Body, blockSpan, attributes);
                resources.Add(new Resource
                {
                    Family = resource.Family, Kind = resource.Kind, Name = resource.Name, Body = resource.Body, File = blockSpan.File,
                    Address = resource.Address, Plan = resource.Plan, Scope = resource.Scope, TerraformRoot = resource.TerraformRoot,
                });
            }
        }
        return new Merged(resources, unexpanded);
    }

    /// <summary>The root module a plan was made from, or null when none of the scanned ones fits.</summary>
    internal static TerraformLoader.RootModule? Match(TerraformPlan plan, List<TerraformLoader.RootModule> roots)
    {
        if (plan.RootAddresses.Count == 0) return null;
        var planDir = Path.GetDirectoryName(plan.File.Replace('\\', '/')) ?? "";
        TerraformLoader.RootModule? best = null;
        var bestScore = (0, int.MinValue);
        foreach (var root in roots)
        {
            var common = plan.RootAddresses.Count(root.RootAddresses.Contains);
            if (common * 2 < plan.RootAddresses.Count || common == 0) continue;
            var score = (common, -Distance(planDir, root.Module.DisplayDirectory));
            if (score.CompareTo(bestScore) > 0) { best = root; bestScore = score; }
        }
        return best;
    }

    /// <summary>How far a module folder is from the plan file's folder: 0 same folder, then folders above it, then anything else.</summary>
    private static int Distance(string planDir, string moduleDir)
    {
        var p = planDir.Trim('/');
        var m = moduleDir == "." ? "" : moduleDir.Trim('/');
        if (p == m) return 0;
        var steps = 0;
        for (var d = p; d.Length > 0; d = d.Contains('/') ? d[..d.LastIndexOf('/')] : "")
        {
            steps++;
            var parent = d.Contains('/') ? d[..d.LastIndexOf('/')] : "";
            if (parent == m) return steps;
        }
        return 1000;
    }

    /// <summary>Top-level attribute name (and its camelCase form for ECS task definitions) -> the span of its expression.</summary>
    private static Dictionary<string, SourceSpan> AttributeSpans(HclBlock block, bool camel)
    {
        var spans = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        foreach (var a in block.Body.Attributes)
        {
            spans.TryAdd(a.Name, a.Expression.Span);
            if (camel) spans.TryAdd(TerraformValueToTree.Camel(a.Name), a.Expression.Span);
        }
        foreach (var b in block.Body.Blocks)
        {
            var type = b.Type == "dynamic" && b.Labels.Count == 1 ? b.Labels[0] : b.Type;
            spans.TryAdd(type, b.Span);
            if (camel) spans.TryAdd(type == "volume" ? "volumes" : TerraformValueToTree.Camel(type), b.Span);
        }
        return spans;
    }

    /// <summary>Give every node of the plan's body the position of the same value in the .tf (see the class summary).</summary>
    private static void Reposition(MapNode plan, MapNode? hcl, SourceSpan blockSpan, Dictionary<string, SourceSpan> attributes)
    {
        plan.Span = blockSpan;
        foreach (var e in plan.Entries)
        {
            var fallback = attributes.TryGetValue(e.Name, out var at) ? at : blockSpan;
            Reposition(e.Value, hcl?[e.Name], fallback);
            e.MoveKey(e.Value.Span);
        }
    }

    private static void Reposition(Node plan, Node? hcl, SourceSpan fallback)
    {
        // A known .tf value that differs from the plan's was replaced at plan time (-var, another var file): the plan's
        // value did not come from there, so point at the enclosing attribute instead.
        var differs = plan is ScalarNode ps && hcl is ScalarNode hs && ps.Value != hs.Value;
        plan.Span = hcl != null && !differs ? hcl.Span : fallback;
        switch (plan)
        {
            case MapNode map:
                foreach (var e in map.Entries)
                {
                    Reposition(e.Value, (hcl as MapNode)?[e.Name], plan.Span);
                    e.MoveKey(e.Value.Span);
                }
                break;
            case SeqNode seq:
                var hclSeq = hcl as SeqNode;
                var used = new HashSet<Node>(ReferenceEqualityComparer.Instance);
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var counterpart = Counterpart(seq.Items[i], i, hclSeq, used);
                    if (counterpart != null) used.Add(counterpart);
                    Reposition(seq.Items[i], counterpart, plan.Span);
                }
                break;
        }
    }

    /// <summary>
    /// The same list item in the .tf: by <c>name</c> when items are named (containers, env vars; each .tf item matches once,
    /// so an entry added at plan time has none), else by index.
    /// </summary>
    private static Node? Counterpart(Node item, int index, SeqNode? hcl, HashSet<Node> used)
    {
        if (hcl == null) return null;
        if (item is MapNode m && m.GetString("name") is { } name)
            return hcl.Items.OfType<MapNode>().FirstOrDefault(h => !used.Contains(h) && h.GetString("name") == name);
        return index < hcl.Items.Count && !used.Contains(hcl.Items[index]) ? hcl.Items[index] : null;
    }
}
