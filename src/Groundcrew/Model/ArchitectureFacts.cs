using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>
/// What runs code: an EKS node group, Karpenter NodePool, eksctl node group, launch template, a pod that selects
/// nodes by architecture, an ECS task definition, or the repository's configured platform.
/// </summary>
public enum ArchTargetKind
{
    NodeGroup,
    NodePool,
    LaunchTemplate,
    PodSelector,
    EcsTaskDefinition,
    Config,
}

/// <summary>
/// One architecture fact: the target, the architectures it runs (Unknown when the files do not say), the span that
/// says so and why (in words, with the documentation it relies on for defaults).
/// </summary>
public sealed record ArchitectureFact(ArchTargetKind Kind, string Target, CpuArch Arch, SourceSpan Span, string Why, Resource? Resource = null)
{
    public bool IsKnown => Arch != CpuArch.Unknown;
    /// <summary>"EKS node group module.eks.aws_eks_node_group.default runs amd64 (instance_types m5.large)".</summary>
    public string Describe() => Kind == ArchTargetKind.Config
        ? $"the target platform of the deployment ({Why})"
        : $"{KindName} {Target} runs {CpuArchitectures.Name(Arch)} ({Why})";

    public string KindName => Kind switch
    {
        ArchTargetKind.NodeGroup => "node group",
        ArchTargetKind.NodePool => "Karpenter NodePool",
        ArchTargetKind.LaunchTemplate => "launch template",
        ArchTargetKind.PodSelector => "workload",
        ArchTargetKind.EcsTaskDefinition => "task definition",
        _ => "config",
    };
}

/// <summary>
/// The CPU architecture facts of the model, inferred once: node capacity (Terraform aws_eks_node_group and the
/// terraform-aws-modules/eks module's managed node groups, eksctl ClusterConfig, Karpenter NodePool/Provisioner,
/// aws_launch_template), workloads that pin `kubernetes.io/arch`, and ECS task definitions (runtimePlatform, Fargate
/// default X86_64). Instance types map to architectures by Data/architecture/architectures.yaml.
/// </summary>
public sealed class ArchitectureFacts
{
    private readonly Dictionary<Resource, ArchitectureFact> _byResource = new(ReferenceEqualityComparer.Instance);

    /// <summary>Node capacity of Kubernetes clusters (node groups, NodePools), known or not.</summary>
    public IReadOnlyList<ArchitectureFact> Nodes { get; }
    /// <summary>Launch templates with an instance type (on their own: which group uses one is not always evaluable).</summary>
    public IReadOnlyList<ArchitectureFact> LaunchTemplates { get; }
    /// <summary>Workloads that select nodes by architecture (nodeSelector / required node affinity).</summary>
    public IReadOnlyList<ArchitectureFact> Workloads { get; }
    public IReadOnlyList<ArchitectureFact> TaskDefinitions { get; }

    /// <summary>Every fact, known or unknown.</summary>
    public IEnumerable<ArchitectureFact> All => Nodes.Concat(LaunchTemplates).Concat(Workloads).Concat(TaskDefinitions);

    /// <summary>
    /// The architecture of the scanned cluster nodes when every node group/pool is known and they agree on one set
    /// (amd64, arm64, or both); Unknown when there is none or any is unknown.
    /// </summary>
    public CpuArch ClusterNodes { get; }

    public ArchitectureFacts(DeploymentModel model)
    {
        var nodes = new List<ArchitectureFact>();
        var templates = new List<ArchitectureFact>();
        var launchTemplates = model.OfKind("aws_launch_template");
        foreach (var lt in launchTemplates)
            if (lt.Family == ResourceFamily.Terraform && !IsDataSource(lt) && lt.Body["instance_type"] is ScalarNode { Value: { } it } s && CpuArchitectures.OfInstanceType(it) is var a and not CpuArch.Unknown)
                templates.Add(new ArchitectureFact(ArchTargetKind.LaunchTemplate, lt.Name, a, s.Span, $"instance_type {it}", lt));

        foreach (var r in model.Resources)
        {
            ArchitectureFact? fact = r switch
            {
                { Family: ResourceFamily.Terraform, Kind: "aws_eks_node_group" } when !IsDataSource(r) => TerraformNodeGroup(r, r.Name, r.Body, launchTemplates),
                { Family: ResourceFamily.Kubernetes, Kind: "NodePool" or "Provisioner" } when r.ApiVersion?.StartsWith("karpenter.sh/", StringComparison.Ordinal) == true => KarpenterPool(r),
                _ => null,
            };
            if (fact != null) { nodes.Add(fact); _byResource[r] = fact; }
            if (r is { Family: ResourceFamily.Terraform, Kind: "module" }) nodes.AddRange(EksModule(r));
            if (r is { Family: ResourceFamily.Kubernetes, Kind: "ClusterConfig" } && r.ApiVersion?.StartsWith("eksctl.io/", StringComparison.Ordinal) == true)
                nodes.AddRange(Eksctl(r));
        }

        var workloads = new List<ArchitectureFact>();
        foreach (var w in model.Workloads)
            if (PodSelector(w) is { } f) { workloads.Add(f); _byResource[w.Resource] = f; }

        var tasks = new List<ArchitectureFact>();
        foreach (var td in model.TaskDefinitions)
        {
            var f = TaskDefinition(td);
            tasks.Add(f);
            _byResource[td.Resource] = f;
        }

        Nodes = nodes;
        LaunchTemplates = templates;
        Workloads = workloads;
        TaskDefinitions = tasks;
        ClusterNodes = nodes.Count > 0 && nodes.All(n => n.IsKnown) ? nodes.Select(n => n.Arch).Aggregate((x, y) => x | y) : CpuArch.Unknown;
    }

    /// <summary>The fact about a resource itself (node group, pool, pinned workload, task definition), or null.</summary>
    public ArchitectureFact? Of(Resource r) => _byResource.GetValueOrDefault(r);

    /// <summary>
    /// Where a workload's pods run: its own `kubernetes.io/arch` selection, else the scanned cluster's nodes when they
    /// are known (one fact standing for all), else null.
    /// </summary>
    public ArchitectureFact? ForWorkload(Workload w)
    {
        if (Of(w.Resource) is { IsKnown: true } own) return own;
        if (ClusterNodes == CpuArch.Unknown) return null;
        var first = Nodes[0];
        if (Nodes.Count == 1) return first;
        return first with { Arch = ClusterNodes, Why = $"{first.Why}; all {Nodes.Count} scanned node groups/pools run {CpuArchitectures.Name(ClusterNodes)}" };
    }

    // --- sources ---

    /// <summary>data.aws_eks_node_group reads a node group made elsewhere: its attributes are not in the files.</summary>
    private static bool IsDataSource(Resource r) => r.Name.StartsWith("data.", StringComparison.Ordinal) || r.Name.Contains(".data.", StringComparison.Ordinal);

    private static ArchitectureFact TerraformNodeGroup(Resource r, string name, MapNode body, IReadOnlyList<Resource> launchTemplates)
    {
        if (body["ami_type"] is ScalarNode { Value: { } ami } amiNode && CpuArchitectures.OfAmiType(ami) is var fromAmi and not CpuArch.Unknown)
            return new(ArchTargetKind.NodeGroup, name, fromAmi, amiNode.Span, $"ami_type {ami}", r);
        if (InstanceTypes(body["instance_types"], "instance_types") is { } fromTypes)
            return new(ArchTargetKind.NodeGroup, name, fromTypes.Arch, fromTypes.Span, fromTypes.Why, r);
        if (body["instance_types"] is { } unknownTypes and not ScalarNode { IsNull: true })
            return new(ArchTargetKind.NodeGroup, name, CpuArch.Unknown, unknownTypes.Span, "instance_types is not evaluable", r);
        var lt = body["launch_template"] is SeqNode { Items.Count: > 0 } seq ? seq.Items[0] as MapNode : body.GetMap("launch_template");
        if (lt != null)
        {
            var ltName = lt.GetString("name");
            var template = ltName == null ? null : launchTemplates.FirstOrDefault(t => t.Body.GetString("name") == ltName);
            if (template?.Body["instance_type"] is ScalarNode { Value: { } it } itNode && CpuArchitectures.OfInstanceType(it) is var a and not CpuArch.Unknown)
                return new(ArchTargetKind.NodeGroup, name, a, itNode.Span, $"launch template {ltName} instance_type {it}", r);
            return new(ArchTargetKind.NodeGroup, name, CpuArch.Unknown, lt.Span, "its launch template's instance type is not known", r);
        }
        // Without instance types or a launch template, EKS creates t3.medium nodes with an x86_64 AMI.
        return new(ArchTargetKind.NodeGroup, name, CpuArch.Amd64, body.Span,
            "no instance_types or ami_type: EKS defaults to t3.medium with an x86_64 AMI (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html)", r);
    }

    private sealed record Typed(CpuArch Arch, SourceSpan Span, string Why);

    /// <summary>All instance types of a list (or a single string) known: their architectures' union.</summary>
    private static Typed? InstanceTypes(Node? node, string what)
    {
        var items = node switch
        {
            SeqNode seq => seq.Items.ToList(),
            ScalarNode { IsNull: false } s => [s],
            _ => null,
        };
        if (items is not { Count: > 0 }) return null;
        var arch = CpuArch.Unknown;
        var names = new List<string>();
        foreach (var item in items)
        {
            if (item is not ScalarNode { Value: { } v }) return null;
            var a = CpuArchitectures.OfInstanceType(v);
            if (a == CpuArch.Unknown) return null;
            arch |= a;
            names.Add(v);
        }
        return new Typed(arch, node!.Span, $"{what} {string.Join(", ", names)}");
    }

    /// <summary>terraform-aws-modules/eks (or its eks-managed-node-group / self-managed-node-group submodules): the node groups passed in.</summary>
    private static IEnumerable<ArchitectureFact> EksModule(Resource module)
    {
        var source = module.Body.GetString("source") ?? "";
        if (!source.Contains("terraform-aws-modules/eks", StringComparison.Ordinal) && !source.Contains("terraform-aws-eks", StringComparison.Ordinal)) yield break;
        if (source.Contains("eks-managed-node-group", StringComparison.Ordinal) || source.Contains("self-managed-node-group", StringComparison.Ordinal))
        {
            if (ModuleGroup(module, module.Name, module.Body, null) is { } single) yield return single;
            yield break;
        }
        var defaults = module.Body.GetMap("eks_managed_node_group_defaults");
        foreach (var key in new[] { "eks_managed_node_groups", "self_managed_node_groups" })
        {
            if (module.Body[key] is not MapNode groups) continue;
            foreach (var e in groups.Entries)
                if (e.Value is MapNode g && ModuleGroup(module, $"{module.Name} {key}[\"{e.Name}\"]", g, key == "eks_managed_node_groups" ? defaults : null) is { } f)
                    yield return f;
        }
    }

    private static ArchitectureFact? ModuleGroup(Resource module, string name, MapNode group, MapNode? defaults)
    {
        Node? Get(string key) => group[key] ?? defaults?[key];
        if (Get("ami_type") is ScalarNode { Value: { } ami } amiNode && CpuArchitectures.OfAmiType(ami) is var fromAmi and not CpuArch.Unknown)
            return new(ArchTargetKind.NodeGroup, name, fromAmi, amiNode.Span, $"ami_type {ami}", module);
        if (InstanceTypes(Get("instance_types"), "instance_types") is { } t) return new(ArchTargetKind.NodeGroup, name, t.Arch, t.Span, t.Why, module);
        if (InstanceTypes(Get("instance_type"), "instance_type") is { } one) return new(ArchTargetKind.NodeGroup, name, one.Arch, one.Span, one.Why, module);
        // The module's own defaults (x86 AMI, t3.medium / m6i.large) are version-dependent: say unknown rather than guess.
        return new(ArchTargetKind.NodeGroup, name, CpuArch.Unknown, group.Span, "no instance type or ami_type in the module arguments", module);
    }

    /// <summary>eksctl ClusterConfig: managedNodeGroups and nodeGroups (instanceType, instanceTypes, instancesDistribution.instanceTypes).</summary>
    private static IEnumerable<ArchitectureFact> Eksctl(Resource r)
    {
        foreach (var key in new[] { "managedNodeGroups", "nodeGroups" })
            foreach (var g in r.Body.GetSeq(key)?.Maps ?? [])
            {
                var name = $"{r.Name} {key} {g.GetString("name") ?? "?"}";
                var typed = InstanceTypes(g["instanceType"], "instanceType") ?? InstanceTypes(g["instanceTypes"], "instanceTypes")
                    ?? InstanceTypes(g.GetMap("instancesDistribution")?["instanceTypes"], "instancesDistribution.instanceTypes");
                if (typed != null) yield return new(ArchTargetKind.NodeGroup, name, typed.Arch, typed.Span, typed.Why, r);
                else if ((g["instanceType"] ?? g["instanceTypes"] ?? g.GetMap("instancesDistribution")?["instanceTypes"]) is { } other)
                    yield return new(ArchTargetKind.NodeGroup, name, CpuArch.Unknown, other.Span, "instance type is not a known EC2 type", r);
                else
                    yield return new(ArchTargetKind.NodeGroup, name, CpuArch.Amd64, (g["name"] ?? g).Span,
                        "no instance type: eksctl creates m5.large nodes (https://eksctl.io/usage/creating-and-managing-clusters/)", r);
            }
    }

    /// <summary>Karpenter NodePool (v1: spec.template.spec.requirements) or Provisioner (v1alpha5: spec.requirements).</summary>
    private static ArchitectureFact KarpenterPool(Resource r)
    {
        var requirements = r.Spec?.GetMap("template")?.GetMap("spec")?.GetSeq("requirements") ?? r.Spec?.GetSeq("requirements");
        foreach (var req in requirements?.Maps ?? [])
        {
            var key = req.GetString("key");
            if (key == null || !CpuArchitectures.NodeArchLabels.Contains(key)) continue;
            if (req.GetString("operator") is not "In") break;
            var values = req.GetSeq("values");
            var arch = CpuArchitectures.ParsePlatforms(string.Join(',', values?.Items.OfType<ScalarNode>().Select(s => s.Value) ?? []));
            return new(ArchTargetKind.NodePool, r.Name, arch, (values ?? (Node)req).Span, $"requirement {key} In [{string.Join(", ", values?.Items.OfType<ScalarNode>().Select(s => s.Value) ?? [])}]", r);
        }
        return new(ArchTargetKind.NodePool, r.Name, CpuArch.Unknown, r.Anchor, $"no {CpuArchitectures.NodeArchLabels[0]} requirement", r);
    }

    /// <summary>A pod template's nodeSelector or required node affinity on kubernetes.io/arch.</summary>
    private static ArchitectureFact? PodSelector(Workload w)
    {
        foreach (var label in CpuArchitectures.NodeArchLabels)
            if (w.PodSpec.GetMap("nodeSelector")?[label] is ScalarNode { Value: { } v } s)
                return new(ArchTargetKind.PodSelector, w.Resource.DisplayName, CpuArchitectures.Parse(v), s.Span, $"nodeSelector {label}: {v}", w.Resource);
        var terms = w.PodSpec.GetMap("affinity")?.GetMap("nodeAffinity")?.GetMap("requiredDuringSchedulingIgnoredDuringExecution")?.GetSeq("nodeSelectorTerms");
        var arch = CpuArch.Unknown;
        Node? at = null;
        foreach (var term in terms?.Maps ?? [])
        {
            var termArch = CpuArch.Unknown;
            foreach (var expr in term.GetSeq("matchExpressions")?.Maps ?? [])
                if (expr.GetString("key") is { } key && CpuArchitectures.NodeArchLabels.Contains(key) && expr.GetString("operator") == "In")
                {
                    termArch = CpuArchitectures.ParsePlatforms(string.Join(',', expr.GetSeq("values")?.Items.OfType<ScalarNode>().Select(s => s.Value) ?? []));
                    at ??= expr.GetSeq("values") ?? (Node)expr;
                }
            // Terms are ORed: a term without an arch expression allows any node.
            if (termArch == CpuArch.Unknown) return null;
            arch |= termArch;
        }
        return at == null ? null : new(ArchTargetKind.PodSelector, w.Resource.DisplayName, arch, at.Span, "required node affinity on kubernetes.io/arch", w.Resource);
    }

    private static ArchitectureFact TaskDefinition(EcsTaskDefinition td)
    {
        var r = td.Resource;
        if (td.Body["runtimePlatform"] is { } platform)
        {
            var cpuNode = (platform as MapNode)?["cpuArchitecture"];
            if (cpuNode is ScalarNode { Value: { } cpu, IsNull: false })
                return new(ArchTargetKind.EcsTaskDefinition, td.Family, CpuArchitectures.OfEcsCpuArchitecture(cpu), cpuNode.Span, $"runtimePlatform.cpuArchitecture {cpu}", r);
            if (platform is not MapNode || cpuNode is not null and not ScalarNode)
                return new(ArchTargetKind.EcsTaskDefinition, td.Family, CpuArch.Unknown, (cpuNode ?? platform).Span, "runtimePlatform is not evaluable", r);
        }
        var compat = td.Body.GetSeq("requiresCompatibilities");
        if (compat?.Items.OfType<ScalarNode>().Any(s => s.Value == "FARGATE") == true)
            return new(ArchTargetKind.EcsTaskDefinition, td.Family, CpuArchitectures.FargateDefault, compat.Span,
                "requiresCompatibilities FARGATE without runtimePlatform: Fargate runs X86_64", r);
        return new(ArchTargetKind.EcsTaskDefinition, td.Family, CpuArch.Unknown, r.Anchor, "EC2 launch type: the container instances decide", r);
    }
}
