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

    // Read by several rules for every workload: built once, on first use. A repeated key keeps its last value.
    public IReadOnlyDictionary<string, string> TemplateLabels => _templateLabels ??= TemplateStrings("labels", s => s.Value ?? "");

    public IReadOnlyDictionary<string, ScalarNode> TemplateAnnotations => _templateAnnotations ??= TemplateStrings("annotations", s => s);

    private Dictionary<string, T> TemplateStrings<T>(string key, Func<ScalarNode, T> value)
    {
        var d = new Dictionary<string, T>();
        if (TemplateMetadata?.GetMap(key) is not { } map) return d;
        for (var i = 0; i < map.Entries.Count; i++)
            if (map.Entries[i].Value is ScalarNode s) d[map.Entries[i].Name] = value(s);
        return d;
    }

    private IReadOnlyDictionary<string, string>? _templateLabels;
    private IReadOnlyDictionary<string, ScalarNode>? _templateAnnotations;

    /// <summary>Init containers, containers, ephemeral containers, in that order (extracted once: most rules read them).</summary>
    public IEnumerable<Container> Containers => _containers ??= ExtractContainers();
    private IReadOnlyList<Container>? _containers;

    private List<Container> ExtractContainers()
    {
        var list = new List<Container>();
        foreach (var (key, init) in ContainerKeys)
            if (PodSpec.GetSeq(key) is { } seq)
                foreach (var item in seq.Items)
                    if (item is MapNode c)
                        list.Add(new Container(Resource, c, c.GetString("name") ?? "", init));
        return list;
    }

    private static readonly (string Key, bool Init)[] ContainerKeys = [("initContainers", true), ("containers", false), ("ephemeralContainers", false)];

    /// <summary>The replicas the workload asks for, when it says (null for kinds without replicas, or unset).</summary>
    public ScalarNode? ReplicasNode => Resource.Kind is "Deployment" or "StatefulSet" or "ReplicaSet" or "Rollout" ? Resource.Spec?["replicas"] as ScalarNode : null;

    public string ServiceAccountName => PodSpec.GetString("serviceAccountName") ?? PodSpec.GetString("serviceAccount") ?? "default";
}
