using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>A container in a pod spec or an ECS container definition, with its positioned body.</summary>
public sealed record Container(Resource Owner, MapNode Node, string Name, bool IsInit)
{
    public string? Image => Node.GetString("image");
    public ScalarNode? ImageNode => Node["image"] as ScalarNode;
}

/// <summary>
/// Anything that runs pods: the pod template's metadata and spec, found in the place each kind keeps them
/// (spec.template, spec.jobTemplate.spec.template for CronJob, the object itself for Pod).
/// </summary>
public sealed class Workload
{
    public Resource Resource { get; }
    public MapNode? TemplateMetadata { get; }
    public MapNode PodSpec { get; }

    private Workload(Resource resource, MapNode? templateMetadata, MapNode podSpec)
    {
        Resource = resource;
        TemplateMetadata = templateMetadata;
        PodSpec = podSpec;
    }

    public static Workload? From(Resource r)
    {
        if (r.Family != ResourceFamily.Kubernetes) return null;
        MapNode? template = r.Kind switch
        {
            "Pod" => r.Body,
            "CronJob" => r.Spec?.GetMap("jobTemplate")?.GetMap("spec")?.GetMap("template"),
            _ when KubeKinds.TemplatedWorkloads.Contains(r.Kind) => r.Spec?.GetMap("template"),
            _ => null,
        };
        var podSpec = template?.GetMap("spec");
        return podSpec == null ? null : new Workload(r, template!.GetMap("metadata"), podSpec);
    }

    public IReadOnlyDictionary<string, string> TemplateLabels =>
        TemplateMetadata?.GetMap("labels")?.Entries
            .Where(e => e.Key.Value != null && e.Value is ScalarNode)
            .GroupBy(e => e.Key.Value!).ToDictionary(g => g.Key, g => ((ScalarNode)g.Last().Value).Value ?? "")
        ?? new Dictionary<string, string>();

    public IReadOnlyDictionary<string, ScalarNode> TemplateAnnotations =>
        TemplateMetadata?.GetMap("annotations")?.Entries
            .Where(e => e.Key.Value != null && e.Value is ScalarNode)
            .GroupBy(e => e.Key.Value!).ToDictionary(g => g.Key, g => (ScalarNode)g.Last().Value)
        ?? new Dictionary<string, ScalarNode>();

    public IEnumerable<Container> Containers
    {
        get
        {
            foreach (var (key, init) in new[] { ("initContainers", true), ("containers", false), ("ephemeralContainers", false) })
                if (PodSpec.GetSeq(key) is { } seq)
                    foreach (var c in seq.Maps)
                        yield return new Container(Resource, c, c.GetString("name") ?? "", init);
        }
    }

    /// <summary>The replicas the workload asks for, when it says (null for kinds without replicas, or unset).</summary>
    public ScalarNode? ReplicasNode => Resource.Kind is "Deployment" or "StatefulSet" or "ReplicaSet" or "Rollout" ? Resource.Spec?["replicas"] as ScalarNode : null;

    public string ServiceAccountName => PodSpec.GetString("serviceAccountName") ?? PodSpec.GetString("serviceAccount") ?? "default";
}
