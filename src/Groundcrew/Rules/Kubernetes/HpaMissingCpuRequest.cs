using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// An HPA (or KEDA ScaledObject) that scales on CPU (or memory) *utilization*, a percentage of the pods' requests, while a
/// container of the target's pod template has no request for that resource. The HPA controller then fails every sync
/// with `failed to get cpu utilization: missing request for cpu in container X of Pod Y`, shows `<unknown>` and never
/// scales. Utilization comes from an explicit metric (autoscaling/v1 `targetCPUUtilizationPercentage`, v2/v2beta2
/// `metrics[].resource.target.type: Utilization`, v2beta1 `targetAverageUtilization`, `containerResource` for one container)
/// or from the API's default when an HPA names no metric at all (80% CPU). The controller counts `containers` and
/// restartable (sidecar) init containers; a `limits` value without a request becomes the request, and so does a
/// LimitRange default of the namespace in the scan.
/// Source: kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator.go `calculatePodRequests`;
/// https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#support-for-resource-metrics
/// </summary>
public sealed class HpaMissingCpuRequest : Rule
{
    public override string Title => "HPA scales on utilization of a resource the pods do not request";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`FailedGetResourceMetric  failed to get cpu utilization: missing request for cpu in container \"app\" of Pod \"web-7d9f\"`: the HPA shows `<unknown>/50%` and never scales";
    public override string Fix => "Set `resources.requests.cpu` (and `memory` for a memory target) on every container of the pod template, or scale the main container only with a `ContainerResource` metric.";

    /// <summary>One utilization target: the resource, the container it is limited to (null: all), and what the HPA says.</summary>
    private sealed record UtilizationTarget(string Resource, string? Container, Node Anchor, string Evidence);

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        if (!model.HasAny("HorizontalPodAutoscaler") && !model.HasAny("ScaledObject")) yield break;
        var autoscalers = KubeSupport.AutoscalersByTarget(model);
        var defaulted = LimitRangeDefaults(model);
        foreach (var r in model.Resources)
        {
            if (r.Family != ResourceFamily.Kubernetes || !KubeSupport.ScalableKinds.Contains(r.Kind)) continue;
            if (!autoscalers.TryGetValue((r.Kind, r.Namespace, r.Name, KubeSupport.Unit(r)), out var list)) continue;
            if (Workload.From(r) is not { } w) continue; // a Rollout with workloadRef: no template here to judge
            // A pod-level resources block (Kubernetes 1.32+) changes how requests are summed: not judged.
            if (w.PodSpec["resources"] != null) continue;
            var counted = w.Containers.Where(c => c.IsInit ? c.Node.GetString("restartPolicy") == "Always" : IsRegular(c, w)).ToList();
            if (counted.Count == 0) continue;
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var a in Closest(list, r))
                foreach (var target in Targets(a))
                {
                    if (defaulted.Contains((r.Namespace, target.Resource))) continue;
                    if (!reported.Add(target.Resource + "/" + target.Container)) continue; // one finding per resource and container scope
                    var relevant = target.Container == null ? counted : counted.Where(c => c.Name == target.Container).ToList();
                    var missing = new List<Container>();
                    var unknown = false;
                    foreach (var c in relevant)
                        switch (HasRequest(c, target.Resource))
                        {
                            case false: missing.Add(c); break;
                            case null: unknown = true; break;
                        }
                    if (unknown || missing.Count == 0) continue;
                    var kindName = $"{(a.IsKeda ? "ScaledObject" : "HorizontalPodAutoscaler")}/{a.Resource.Name}";
                    var names = string.Join(", ", missing.Select(c => $"'{c.Name}'"));
                    var tie = TieEvidence(a, r);
                    var first = missing[0];
                    var at = (Node?)first.Node["resources"] ?? (Node?)first.Node["name"] ?? first.Node;
                    yield return At(at,
                        $"{kindName} scales {r.Kind}/{r.Name} on {target.Resource} utilization ({target.Evidence}), but container{(missing.Count > 1 ? "s" : "")} {names} of its pod template {(missing.Count > 1 ? "have" : "has")} no {target.Resource} request: utilization is a percentage of the request, so the HPA fails with `missing request for {target.Resource}`, shows <unknown> and never scales. Tied by {tie}",
                        $"Add `resources.requests.{target.Resource}` to container{(missing.Count > 1 ? "s" : "")} {names}" + (target.Container == null && counted.Count > 1 ? $", or scale on the main container alone with `type: ContainerResource` (container: {counted[0].Name})" : "") + ".",
                        [new RelatedLocation(target.Anchor.Span, $"{kindName}: {target.Evidence}")],
                        new Dictionary<string, string> { ["tie"] = tie, ["metric"] = target.Evidence, ["resource"] = target.Resource });
                }
        }
    }

    /// <summary>
    /// The autoscalers of a workload when several objects share its identity (a folder of unrelated examples, copies per
    /// environment): those in the workload's own file, else those in its folder, else all of them.
    /// </summary>
    private static IEnumerable<KubeSupport.Autoscaler> Closest(List<KubeSupport.Autoscaler> list, Resource w)
    {
        if (list.Count == 1) return list;
        var sameFile = list.Where(a => a.Resource.File == w.File).ToList();
        if (sameFile.Count > 0) return sameFile;
        var dir = Path.GetDirectoryName(w.File);
        var sameDir = list.Where(a => Path.GetDirectoryName(a.Resource.File) == dir).ToList();
        return sameDir.Count > 0 ? sameDir : list;
    }

    /// <summary>Regular containers (spec.containers), not ephemeral ones, which never count.</summary>
    private static bool IsRegular(Container c, Workload w) => w.PodSpec.GetSeq("containers")?.Items.Contains(c.Node) == true;

    private static string TieEvidence(KubeSupport.Autoscaler a, Resource w)
    {
        var target = a.Resource.Spec?.GetMap("scaleTargetRef");
        var api = target?.GetString("apiVersion");
        var ns = w.Namespace is { } n ? $" in namespace {n}" : "";
        var kind = a.IsKeda && string.IsNullOrEmpty(target?.GetString("kind")) ? "kind Deployment (KEDA's default)" : $"kind {a.TargetKind}";
        return $"scaleTargetRef ({(api != null ? $"apiVersion {api}, " : "")}{kind}, name {a.TargetName}){ns}" +
               (w.RenderedFrom != null ? $", both rendered from {w.RenderedFrom}" : "");
    }

    /// <summary>true: a request (or a limit, which becomes the request) is set; false: none; null: cannot tell (a template value).</summary>
    private static bool? HasRequest(Container c, string resource)
    {
        var resources = c.Node["resources"];
        if (resources == null || resources is ScalarNode { IsNull: true }) return false;
        if (resources is not MapNode map) return null;
        foreach (var key in new[] { "requests", "limits" })
        {
            var part = map[key];
            if (part == null || part is ScalarNode { IsNull: true }) continue;
            if (part is not MapNode m) return null;
            if (m[resource] is ScalarNode { IsNull: false } v)
                return KubeSupport.IsPlaceholder(v.Value) ? null : true;
            if (m[resource] is { } other && other is not ScalarNode) return null;
        }
        return false;
    }

    /// <summary>The utilization targets of an autoscaler, in every apiVersion's shape.</summary>
    private static IEnumerable<UtilizationTarget> Targets(KubeSupport.Autoscaler a)
    {
        var r = a.Resource;
        var spec = r.Spec;
        if (spec == null) yield break;
        var api = r.ApiVersion ?? "";
        if (a.IsKeda)
        {
            foreach (var t in spec.GetSeq("triggers")?.Maps ?? [])
            {
                var type = t.GetString("type");
                if (type is not ("cpu" or "memory")) continue;
                var meta = t.GetMap("metadata");
                var metricType = t.GetString("metricType") ?? meta?.GetString("type");
                if (metricType != "Utilization") continue;
                yield return new(type, meta?.GetString("containerName"), t, $"{api} trigger type: {type}, metricType: Utilization");
            }
            yield break;
        }
        if (api == "autoscaling/v1")
        {
            if (spec["targetCPUUtilizationPercentage"] is ScalarNode p && !p.IsNull)
                yield return new("cpu", null, p, $"{api} targetCPUUtilizationPercentage: {p.Value}");
            else
                yield return new("cpu", null, (Node?)r.Metadata?["name"] ?? r.Body, $"{api} without targetCPUUtilizationPercentage: the default target is 80% CPU");
            yield break;
        }
        var metrics = spec["metrics"];
        if (metrics == null || metrics is ScalarNode { IsNull: true } || metrics is SeqNode { Items.Count: 0 })
        {
            yield return new("cpu", null, (Node?)r.Metadata?["name"] ?? r.Body, $"{api} without metrics: the API fills in 80% CPU utilization");
            yield break;
        }
        if (metrics is not SeqNode seq) yield break;
        for (var i = 0; i < seq.Items.Count; i++)
        {
            if (seq.Items[i] is not MapNode m) continue;
            var type = m.GetString("type");
            var body = type switch { "Resource" => m.GetMap("resource"), "ContainerResource" => m.GetMap("containerResource"), _ => null };
            if (body == null) continue;
            var name = body.GetString("name");
            if (name is not ("cpu" or "memory")) continue;
            var container = type == "ContainerResource" ? body.GetString("container") : null;
            if (type == "ContainerResource" && string.IsNullOrEmpty(container)) continue;
            var target = body.GetMap("target");
            string? percent = null;
            if (target != null && target.GetString("type") == "Utilization") percent = target.GetString("averageUtilization") ?? "(default)";
            else if (target == null && body["targetAverageUtilization"] is ScalarNode u) percent = u.Value; // v2beta1
            if (percent == null) continue; // AverageValue targets need no request
            var what = type == "ContainerResource" ? $"metrics[{i}] ContainerResource {name} of container {container}" : $"metrics[{i}] Resource {name}";
            yield return new(name, container, m, $"{api} {what} at {percent}% utilization");
        }
    }

    /// <summary>(namespace, resource) pairs for which a LimitRange in the scan gives containers a default request.</summary>
    private static HashSet<(string?, string)> LimitRangeDefaults(DeploymentModel model)
    {
        var set = new HashSet<(string?, string)>();
        foreach (var lr in model.OfKind("LimitRange"))
            foreach (var item in lr.Spec?.GetSeq("limits")?.Maps ?? [])
            {
                if (item.GetString("type") is { } t && t != "Container") continue;
                foreach (var key in new[] { "defaultRequest", "default" })
                    foreach (var e in item.GetMap(key)?.Entries ?? [])
                        if (e.Name is "cpu" or "memory") set.Add((lr.Namespace, e.Name));
            }
        return set;
    }
}
