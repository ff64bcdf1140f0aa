using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>
/// A Service whose selector matches no pod template in its namespace: it has no endpoints, and every request
/// to it fails. An error when the namespace's workloads are in the scanned files and none match; a note when the
/// scanned files hold no workload for that namespace (they are deployed from somewhere else).
/// </summary>
public sealed class ServiceSelectsNothing : Rule
{
    public override string Title => "Service selects no pods";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "no endpoints available for service \"api\" (HTTP 503 from the ingress; connection refused inside the cluster)";
    public override string Fix => "Make the Service's spec.selector a subset of the pod template's labels (spec.template.metadata.labels), in the same namespace.";

    private sealed record Template(Resource Owner, string? Ns, IReadOnlyDictionary<string, string> Labels, bool IsWorkload);

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var services = model.OfKind("Service").Where(ReferenceFacts.IsKubernetes).ToList();
        if (services.Count == 0) yield break;

        // Index every pod template by (label key, value): a selector is checked against the templates carrying its rarest pair.
        var byPair = new Dictionary<(string Key, string Value), List<Template>>();
        var workloadNamespaces = new HashSet<string?>();
        foreach (var t in Templates(model))
        {
            if (t.IsWorkload) workloadNamespaces.Add(t.Ns);
            foreach (var (k, v) in t.Labels)
            {
                if (!byPair.TryGetValue((k, v), out var l)) byPair[(k, v)] = l = new List<Template>();
                l.Add(t);
            }
        }

        foreach (var svc in services)
        {
            var spec = svc.Spec;
            if (spec == null || spec.GetString("type") == "ExternalName") continue;
            // No selector: endpoints are managed by hand (or by a controller); nothing to check.
            if (spec["selector"] is not MapNode selectorNode || selectorNode.Entries.Count == 0) continue;
            var selector = new List<(string Key, string Value)>();
            var unreadable = false;
            foreach (var e in selectorNode.Entries)
            {
                if (e.Key.Value is not { } k || e.Value is not ScalarNode s) { unreadable = true; break; }
                // Labels controllers add to pods (pod-template-hash, statefulset pod-name...) are not in any template.
                if (!ReferenceFacts.IsControllerPodLabel(k)) selector.Add((k, s.Value ?? ""));
            }
            if (unreadable || selector.Count == 0) continue;

            var matches = Matching(selector, byPair);
            if (matches.Any(t => t.Ns == svc.Namespace)) continue;

            var selectorText = string.Join(", ", selector.Select(p => $"{p.Key}={p.Value}"));
            var at = (Node)selectorNode;
            if (matches.FirstOrDefault() is { } other)
            {
                // The pods exist, in another namespace. If either side leaves its namespace to `kubectl apply -n`, they may well meet.
                var implicitNs = !ReferenceFacts.HasExplicitNamespace(svc) || !ReferenceFacts.HasExplicitNamespace(other.Owner);
                var msg = $"Service {svc.Name} selects {selectorText} in namespace {svc.Namespace}, but the pods with those labels ({other.Owner.Kind} {other.Owner.Name}) are in namespace {other.Ns}";
                var related = new List<RelatedLocation> { new(other.Owner.Anchor, $"{other.Owner.Kind} {other.Owner.Name} (namespace {other.Ns})") };
                yield return implicitNs
                    ? At(at, msg + "; one of them sets no namespace, so this holds only if both are applied to the same one", related: related) with { Severity = Severity.Note }
                    : At(at, msg + "; a Service only selects pods in its own namespace", related: related);
                continue;
            }
            if (workloadNamespaces.Contains(svc.Namespace))
            {
                var near = NearMiss(selector, byPair, svc.Namespace);
                var hint = near != null ? $" (closest: {near.Owner.Kind} {near.Owner.Name} has {Differences(selector, near.Labels)})" : "";
                yield return At(at, $"Service {svc.Name} selects {selectorText}, but no pod template in namespace {svc.Namespace} has these labels{hint}; the Service has no endpoints",
                    related: near != null ? [new RelatedLocation(near.Owner.Anchor, $"{near.Owner.Kind} {near.Owner.Name}")] : null);
            }
            else
            {
                yield return At(at, $"Service {svc.Name} selects {selectorText}, and the scanned files hold no workload in namespace {svc.Namespace}; deployed from somewhere else?") with { Severity = Severity.Note };
            }
        }
    }

    private static List<Template> Matching(List<(string Key, string Value)> selector, Dictionary<(string, string), List<Template>> byPair)
    {
        List<Template>? smallest = null;
        foreach (var p in selector)
        {
            if (!byPair.TryGetValue(p, out var l)) return [];
            if (smallest == null || l.Count < smallest.Count) smallest = l;
        }
        return smallest!.Where(t => selector.All(p => t.Labels.TryGetValue(p.Key, out var v) && v == p.Value)).ToList();
    }

    /// <summary>The template in the namespace that shares the most selector pairs (at least one), to show what differs.</summary>
    private static Template? NearMiss(List<(string Key, string Value)> selector, Dictionary<(string, string), List<Template>> byPair, string? ns)
    {
        var counts = new Dictionary<Template, int>(ReferenceEqualityComparer.Instance);
        foreach (var p in selector)
            if (byPair.TryGetValue(p, out var l))
                foreach (var t in l.Where(t => t.Ns == ns))
                    counts[t] = counts.GetValueOrDefault(t) + 1;
        return counts.Count == 0 ? null : counts.MaxBy(kv => kv.Value).Key;
    }

    private static string Differences(List<(string Key, string Value)> selector, IReadOnlyDictionary<string, string> labels) =>
        string.Join(", ", selector.Where(p => !(labels.TryGetValue(p.Key, out var v) && v == p.Value))
            .Select(p => labels.TryGetValue(p.Key, out var v) ? $"{p.Key}={v}" : $"no {p.Key}"));

    /// <summary>
    /// Every pod template: Pods, CronJobs' job templates, and any object with spec.template.metadata.labels
    /// (Deployments and the like, but also OpenShift DeploymentConfigs and custom resources with pod templates).
    /// </summary>
    private static IEnumerable<Template> Templates(DeploymentModel model)
    {
        foreach (var r in model.Resources)
        {
            if (r.Family != ResourceFamily.Kubernetes) continue;
            MapNode? meta = r.Kind switch
            {
                "Pod" => r.Metadata,
                "CronJob" => r.Spec?.GetMap("jobTemplate")?.GetMap("spec")?.GetMap("template")?.GetMap("metadata"),
                "Service" => null,
                _ => r.Spec?.GetMap("template")?.GetMap("metadata"),
            };
            var isWorkload = KubeKinds.IsWorkload(r.Kind) || r.Kind == "DeploymentConfig";
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var e in meta?.GetMap("labels")?.Entries ?? [])
                if (e.Key.Value is { } k && e.Value is ScalarNode s) labels[k] = s.Value ?? "";
            if (meta == null && !isWorkload) continue;
            yield return new Template(r, r.Namespace, labels, isWorkload);
        }
    }
}
