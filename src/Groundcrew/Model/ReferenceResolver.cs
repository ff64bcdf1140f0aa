using Groundcrew.Core;

namespace Groundcrew.Model;

/// <summary>
/// Turns the name-based links inside pod specs (env, envFrom, volumes, service accounts, pull secrets)
/// into <see cref="Reference"/> edges with a resolution. One pass over the workloads; each lookup is a dictionary hit.
/// </summary>
internal sealed class ReferenceResolver(DeploymentModel model)
{
    private readonly List<Reference> _refs = new();

    public List<Reference> ResolveAll()
    {
        foreach (var w in model.Workloads)
        {
            var r = w.Resource;
            var ns = r.Namespace;
            foreach (var c in w.Containers)
            {
                foreach (var env in c.Node.GetSeq("env")?.Maps ?? [])
                {
                    var valueFrom = env.GetMap("valueFrom");
                    if (valueFrom == null) continue;
                    if (valueFrom.GetMap("secretKeyRef") is { } sk) KeyRef(r, ns, sk, "Secret", $"env {env.GetString("name")} of container {c.Name}");
                    if (valueFrom.GetMap("configMapKeyRef") is { } ck) KeyRef(r, ns, ck, "ConfigMap", $"env {env.GetString("name")} of container {c.Name}");
                }
                foreach (var ef in c.Node.GetSeq("envFrom")?.Maps ?? [])
                {
                    if (ef.GetMap("secretRef") is { } sr) ObjectRef(r, ns, sr, "name", "Secret", IsTrue(sr["optional"]), $"envFrom of container {c.Name}");
                    if (ef.GetMap("configMapRef") is { } cr) ObjectRef(r, ns, cr, "name", "ConfigMap", IsTrue(cr["optional"]), $"envFrom of container {c.Name}");
                }
            }
            foreach (var v in w.PodSpec.GetSeq("volumes")?.Maps ?? [])
            {
                var vname = v.GetString("name");
                if (v.GetMap("secret") is { } s) VolumeRef(r, ns, s, "secretName", "Secret", $"volume {vname}");
                if (v.GetMap("configMap") is { } cm) VolumeRef(r, ns, cm, "name", "ConfigMap", $"volume {vname}");
                foreach (var src in v.GetMap("projected")?.GetSeq("sources")?.Maps ?? [])
                {
                    if (src.GetMap("secret") is { } ps) VolumeRef(r, ns, ps, "name", "Secret", $"projected volume {vname}");
                    if (src.GetMap("configMap") is { } pc) VolumeRef(r, ns, pc, "name", "ConfigMap", $"projected volume {vname}");
                }
            }
            foreach (var ips in w.PodSpec.GetSeq("imagePullSecrets")?.Maps ?? [])
                ObjectRef(r, ns, ips, "name", "Secret", optional: false, "imagePullSecrets");
            var saNode = (w.PodSpec["serviceAccountName"] ?? w.PodSpec["serviceAccount"]) as ScalarNode;
            if (saNode?.Value is { Length: > 0 } sa && sa != "default")
                Add(r, saNode, "ServiceAccount", ns, sa, null, false, "serviceAccountName");
        }
        // A ServiceAccount's imagePullSecrets are added to every pod that runs as it: a missing one fails the pull of a
        // private image just as the pod's own list would (kubelet: "Unable to retrieve some image pull secrets").
        foreach (var sa in model.OfKind("ServiceAccount"))
            if (sa.Family == ResourceFamily.Kubernetes)
                foreach (var ips in sa.Body.GetSeq("imagePullSecrets")?.Maps ?? [])
                    ObjectRef(sa, sa.Namespace, ips, "name", "Secret", optional: false, "imagePullSecrets");
        return _refs;
    }

    private static bool IsTrue(Node? n) => n is ScalarNode { Value: "true" or "True" };

    private void KeyRef(Resource r, string? ns, MapNode refNode, string kind, string via)
    {
        var nameNode = refNode["name"] as ScalarNode;
        if (nameNode?.Value is not { Length: > 0 } name) return;
        var keyNode = refNode["key"] as ScalarNode;
        Add(r, (Node?)keyNode ?? nameNode, kind, ns, name, keyNode?.Value, IsTrue(refNode["optional"]), via);
    }

    private void ObjectRef(Resource r, string? ns, MapNode refNode, string nameField, string kind, bool optional, string via)
    {
        if (refNode[nameField] is ScalarNode { Value: { Length: > 0 } name } nameNode)
            Add(r, nameNode, kind, ns, name, null, optional, via);
    }

    private void VolumeRef(Resource r, string? ns, MapNode src, string nameField, string kind, string via)
    {
        if (src[nameField] is not ScalarNode { Value: { Length: > 0 } name } nameNode) return;
        var optional = IsTrue(src["optional"]);
        var items = src.GetSeq("items")?.Maps.ToList() ?? [];
        if (items.Count == 0) Add(r, nameNode, kind, ns, name, null, optional, via);
        foreach (var item in items)
            if (item["key"] is ScalarNode { Value: { } key } keyNode)
                Add(r, keyNode, kind, ns, name, key, optional, via);
    }

    private void Add(Resource from, Node at, string kind, string? ns, string name, string? key, bool optional, string via)
    {
        Resolution resolution;
        Resource? target;
        string? detail = null;
        if (kind is "Secret" or "ConfigMap")
        {
            var provider = model.FindKeyProvider(kind, ns, name);
            target = provider?.Source;
            if (provider == null) resolution = Resolution.Unknown;
            else if (key == null || provider.Keys == null) resolution = Resolution.Resolved;
            else if (provider.Keys.Contains(key)) resolution = Resolution.Resolved;
            else
            {
                resolution = Resolution.Missing;
                detail = provider.Keys.Count == 0 ? "it has no keys" : $"it has {string.Join(", ", provider.Keys.Order(StringComparer.Ordinal))}";
            }
        }
        else
        {
            target = model.Find(kind, ns, name);
            resolution = target != null ? Resolution.Resolved : Resolution.Unknown;
        }
        _refs.Add(new Reference(from, at, kind, ns, name, key, optional, via, resolution, target, detail));
    }
}
