using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>Which family of formats a resource came from; rules pick the families they understand.</summary>
public enum ResourceFamily
{
    Kubernetes,
    EcsTaskDefinition,
    IamPolicy,
    /// <summary>A Terraform resource or data source (Kind = type such as aws_lb, Name = address, Body = evaluated attributes).</summary>
    Terraform,
    /// <summary>A resource of a Pulumi stack export or preview (Kind = type token such as aws:lb/loadBalancer:LoadBalancer, Body = inputs).</summary>
    Pulumi,
    /// <summary>A resource of a CloudFormation template (Kind = type such as AWS::IAM::Role, Name = logical id, Body = Properties).</summary>
    CloudFormation,
}

/// <summary>
/// One deployable thing from any format: its identity, its body as a positioned tree, and where it came from.
/// For Kustomize output, <see cref="RenderedFrom"/> names the overlay; the body's spans already point at
/// the source files that defined each value.
/// </summary>
public sealed class Resource
{
    public required ResourceFamily Family { get; init; }
    public required string Kind { get; init; }
    public string? ApiVersion { get; init; }
    public required string Name { get; init; }
    /// <summary>Namespace for namespaced Kubernetes objects ("default" when unset); null for cluster-scoped ones and non-Kubernetes resources.</summary>
    public string? Namespace { get; init; }
    public required MapNode Body { get; init; }
    /// <summary>The file (display path) the resource was read from; for rendered Kustomize output, the overlay's kustomization file.</summary>
    public required string File { get; init; }
    public string? RenderedFrom { get; init; }
    /// <summary>For Terraform (and CloudFormation) resources of any family: the module-prefixed address (the logical id), e.g. <c>module.net.aws_subnet.private[0]</c>.</summary>
    public string? Address { get; init; }
    /// <summary>Where <see cref="Address"/> is unique: the Terraform root module directory, or the CloudFormation template file.</summary>
    public string? Scope { get; init; }
    /// <summary>For Terraform-loaded resources: the root module folder (relative to the scan root, "." for the root itself)
    /// they were evaluated from. Addresses are unique only within one root.</summary>
    public string? TerraformRoot { get; init; }
    /// <summary>For Pulumi resources: the whole resource state (urn, type, id, inputs, outputs) as the stack export or preview holds it.</summary>
    public MapNode? PulumiState { get; init; }
    /// <summary>For Terraform resources read from a plan (<c>terraform show -json</c>): the plan file their values come from.</summary>
    public string? Plan { get; init; }

    public MapNode? Metadata => Body.GetMap("metadata");
    public MapNode? Spec => Body.GetMap("spec");

    // Many rules read these for every resource: built once, on first use (a body does not change once classified).
    public IReadOnlyDictionary<string, ScalarNode> Annotations => _annotations ??= StringMap("annotations");
    public IReadOnlyDictionary<string, ScalarNode> Labels => _labels ??= StringMap("labels");
    private IReadOnlyDictionary<string, ScalarNode>? _annotations, _labels;

    private IReadOnlyDictionary<string, ScalarNode> StringMap(string key)
    {
        var map = Metadata?.GetMap(key);
        if (map == null) return EmptyMap;
        var d = new Dictionary<string, ScalarNode>(StringComparer.Ordinal);
        foreach (var e in map.Entries)
            if (e.Value is ScalarNode s && e.Name != null) d[e.Name] = s;
        return d;
    }

    private static readonly Dictionary<string, ScalarNode> EmptyMap = new();

    /// <summary>Where to point when a finding concerns the whole resource: its name, else its first line.</summary>
    public SourceSpan Anchor => (Metadata?["name"] ?? Body["family"] ?? (Node)Body).Span;

    public string DisplayName => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Name} (namespace {Namespace})";

    public override string ToString() => DisplayName;
}
