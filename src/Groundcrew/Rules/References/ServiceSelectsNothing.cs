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
        var services = model.OfKind("Service").Where(ReferenceFacts.IsCoreService).ToList();
        if (services.Count == 0) yield break;

        // Index every pod template by (label key, value): a selector is checked against the templates carrying its rarest pair.
        var byPair = new Dictionary<(string Key, string Value), List<Template>>();
        var workloadNamespaces = new HashSet<string?>();
        var workloadsByName = new Dictionary<(string?, string), Template>();
        foreach (var t in Templates(model))
        {
            if (t.IsWorkload) { workloadNamespaces.Add(t.Ns); workloadsByName.TryAdd((t.Ns, t.Owner.Name), t); }
            foreach (var (k, v) in t.Labels)
            {
                if (!byPair.TryGetValue((k, v), out var l)) byPair[(k, v)] = l = new List<Template>();
                l.Add(t);
            }
        }

        Dictionary<(string?, string), Resource>? customResources = null;
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
                if (e.Name is not { } k || e.Value is not ScalarNode s) { unreadable = true; break; }
                // Labels controllers add to pods (pod-template-hash, statefulset pod-name...) are not in any template.
                if (!ReferenceFacts.IsControllerPodLabel(k)) selector.Add((k, s.Value ?? ""));
            }
            if (unreadable || selector.Count == 0) continue;

            var matches = Matching(selector, byPair);
            var local = matches.Where(t => t.Ns == svc.Namespace).ToList();
            if (local.Count > 0)
            {
                foreach (var f in PortsNoPodServes(model, svc, spec, local)) yield return f;
                continue;
            }

            var selectorText = string.Join(", ", selector.Select(p => $"{p.Key}={p.Value}"));
            var at = (Node)selectorNode;
            if (matches.Count > 0)
            {
                // The pods exist, in another namespace. If either side leaves its namespace to `kubectl apply -n`, they may well meet.
                var other = matches.FirstOrDefault(t => !ReferenceFacts.HasExplicitNamespace(t.Owner)) ?? matches[0];
                var implicitNs = !ReferenceFacts.HasExplicitNamespace(svc) || !ReferenceFacts.HasExplicitNamespace(other.Owner);
                var msg = $"Service {svc.Name} selects {selectorText} in namespace {svc.Namespace}, but the pods with those labels ({other.Owner.Kind} {other.Owner.Name}) are in namespace {other.Ns}";
                var related = new List<RelatedLocation> { new(other.Owner.Anchor, $"{other.Owner.Kind} {other.Owner.Name} (namespace {other.Ns})") };
                yield return implicitNs
                    ? At(at, msg + "; one of them sets no namespace, so this holds only if both are applied to the same one", related: related) with { Severity = Severity.Note }
                    : At(at, msg + "; a Service only selects pods in its own namespace", related: related);
                continue;
            }
            // The pods the Service was meant for: a workload of the same name, or one carrying some of the selector's
            // pairs and all of its keys. Only then is the mismatch a contradiction; a selector sharing nothing with the
            // namespace's templates most likely targets pods deployed from elsewhere (a Helm chart, an operator).
            var intended = SameName(svc, workloadsByName) ?? NearMiss(selector, byPair, svc.Namespace);
            customResources ??= model.Resources.Where(ReferenceFacts.IsCustomResource).GroupBy(r => (r.Namespace, r.Name)).ToDictionary(g => g.Key, g => g.First());
            var operatorCr = OperatorNamedInSelector(customResources, svc, selector);
            if (intended != null && operatorCr == null)
            {
                yield return At(at, $"Service {svc.Name} selects {selectorText}, but no pod template in namespace {svc.Namespace} has these labels ({intended.Owner.Kind} {intended.Owner.Name} has {Differences(selector, intended.Labels)}); the Service has no endpoints",
                    related: [new RelatedLocation(intended.Owner.Anchor, $"{intended.Owner.Kind} {intended.Owner.Name}")]);
            }
            else if (model.Complete && workloadNamespaces.Contains(svc.Namespace) && operatorCr == null)
            {
                yield return At(at, $"Service {svc.Name} selects {selectorText}, but no pod template in namespace {svc.Namespace} has these labels, and the configuration says the scanned files are complete; the Service has no endpoints");
            }
            else
            {
                var why = operatorCr != null ? $"pods created by {operatorCr.Kind} {operatorCr.Name}?"
                    : workloadNamespaces.Contains(svc.Namespace) ? "pods deployed from elsewhere (a Helm chart, an operator)?" : $"the scanned files hold no workload in namespace {svc.Namespace}; deployed from somewhere else?";
                yield return At(at, $"Service {svc.Name} selects {selectorText}, and no pod template in namespace {svc.Namespace} has these labels; {why}") with { Severity = Severity.Note };
            }
        }
    }

    /// <summary>
    /// The Service selects pods, but for one of its ports none of them serves the target: a named targetPort no container
    /// names gets no endpoint at all (error); a number no container declares, while every selected container lists its
    /// ports and none is told that port in its args, env or mounted config, most likely reaches nothing listening (warning:
    /// containerPort is informational, so a process may still listen there).
    /// </summary>
    private IEnumerable<Finding> PortsNoPodServes(DeploymentModel model, Resource svc, MapNode spec, List<Template> selected)
    {
        var pods = selected.Select(t => (t.Owner, Ports: ContainerPorts(t.Owner))).ToList();
        foreach (var port in spec.GetSeq("ports")?.Maps ?? [])
        {
            var target = port["targetPort"] as ScalarNode ?? port["port"] as ScalarNode;
            if (target == null || target.IsNull || Kubernetes.KubeSupport.IsPlaceholder(target.Value)) continue;
            var owner = pods[0].Owner;
            var related = new List<RelatedLocation> { new(owner.Anchor, $"{owner.Kind} {owner.Name} (selected by {svc.Name})") };
            if (target.AsLong is { } number)
            {
                if (pods.Any(p => p.Ports is not { EveryContainerDeclares: true } || p.Ports.Numbers.Contains(number))) continue;
                // The process may be told its port in its args, env or mounted config instead of a containerPort.
                if (pods.Any(p => PortConfiguredElsewhere.Mentions(model, p.Owner, number))) continue;
                var declared = string.Join(", ", pods.SelectMany(p => p.Ports!.Numbers).Distinct().Order());
                yield return At(target, $"Service {svc.Name} sends port {port.GetString("port") ?? number.ToString()} to targetPort {number}, but the pods it selects ({owner.Kind} {owner.Name}) declare only containerPort {declared}; nothing is likely listening on {number}",
                    $"Set targetPort to the port the container listens on ({declared}), or declare containerPort {number} if the process really listens there.", related) with { Severity = Severity.Warning };
            }
            else if (target.Value is { Length: > 0 } name && target.IsString)
            {
                if (pods.Any(p => p.Ports == null || p.Ports.Names.Contains(name))) continue;
                var names = pods.SelectMany(p => p.Ports!.Names).Distinct().Order().ToList();
                yield return At(target, $"Service {svc.Name} targets the named port \"{name}\", but no container of the pods it selects ({owner.Kind} {owner.Name}) has a port of that name ({(names.Count == 0 ? "they name none" : "they name " + string.Join(", ", names))}); the Service gets no endpoints for this port",
                    names.Count > 0 ? $"Use one of the container port names ({string.Join(", ", names)}) or the port number." : "Name the container port (ports[].name) or use the port number.", related);
            }
        }
    }

    private sealed record PortSet(HashSet<long> Numbers, HashSet<string> Names)
    {
        /// <summary>False when a container (a sidecar, say) lists no ports: it may listen on any number undeclared.</summary>
        public bool EveryContainerDeclares { get; set; } = true;
    }

    /// <summary>The ports a pod template's containers declare; null when there are no containers or a port is not a literal (unknown).</summary>
    private static PortSet? ContainerPorts(Resource owner)
    {
        var podSpec = owner.Kind switch
        {
            "Pod" => owner.Spec,
            "CronJob" => owner.Spec?.GetMap("jobTemplate")?.GetMap("spec")?.GetMap("template")?.GetMap("spec"),
            _ => owner.Spec?.GetMap("template")?.GetMap("spec"),
        };
        if (podSpec?.GetSeq("containers") is not { } containers) return null;
        var set = new PortSet([], new HashSet<string>(StringComparer.Ordinal));
        foreach (var c in containers.Items)
        {
            if (c is not MapNode container) return null;
            if (container.GetSeq("ports") is not { Items.Count: > 0 } ports) { set.EveryContainerDeclares = false; continue; }
            foreach (var p in ports.Items)
            {
                if (p is not MapNode m || (m["containerPort"] as ScalarNode)?.AsLong is not { } n) return null;
                set.Numbers.Add(n);
                if (m.GetString("name") is { Length: > 0 } portName) set.Names.Add(portName);
            }
        }
        return set;
    }

    private static Template? SameName(Resource svc, Dictionary<(string?, string), Template> workloadsByName)
    {
        foreach (var name in new[] { svc.Name, Strip(svc.Name, "-service"), Strip(svc.Name, "-svc") })
            if (name != null && workloadsByName.TryGetValue((svc.Namespace, name), out var t)) return t;
        return null;
    }

    private static string? Strip(string name, string suffix) => name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length ? name[..^suffix.Length] : null;

    /// <summary>A custom resource in the Service's namespace whose name is one of the selector's values: operators label their pods with it.</summary>
    private static Resource? OperatorNamedInSelector(Dictionary<(string?, string), Resource> customResources, Resource svc, List<(string Key, string Value)> selector)
    {
        foreach (var (_, value) in selector)
            if (customResources.TryGetValue((svc.Namespace, value), out var cr)) return cr;
        return null;
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

    /// <summary>The workload template in the namespace with every selector key that shares the most selector pairs (at least one).</summary>
    private static Template? NearMiss(List<(string Key, string Value)> selector, Dictionary<(string, string), List<Template>> byPair, string? ns)
    {
        var counts = new Dictionary<Template, int>(ReferenceEqualityComparer.Instance);
        foreach (var p in selector)
            if (byPair.TryGetValue(p, out var l))
                foreach (var t in l.Where(t => t.Ns == ns && t.IsWorkload && selector.All(s => t.Labels.ContainsKey(s.Key))))
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
            if (meta == null && !isWorkload) continue; // most resources: no labels read, nothing allocated
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var e in meta?.GetMap("labels")?.Entries ?? [])
                if (e.Name is { } k && e.Value is ScalarNode s) labels[k] = s.Value ?? "";
            yield return new Template(r, r.Namespace, labels, isWorkload);
        }
    }
}
