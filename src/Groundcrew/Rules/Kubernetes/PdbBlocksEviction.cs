using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// A PodDisruptionBudget that can never allow a voluntary eviction: `maxUnavailable: 0`, `minAvailable: 100%`, or a
/// `minAvailable` at or above the number of pods the matched workloads run (their replicas, or the HPA minimum
/// when an autoscaler owns the count). `kubectl drain`, node-group upgrades and Karpenter consolidation then wait forever.
/// </summary>
public sealed class PdbBlocksEviction : Rule
{
    public override string Title => "PodDisruptionBudget blocks every eviction";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`error when evicting pods/\"web-7d9f\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.` forever: node drains and EKS node-group upgrades hang (PodEvictionFailure)";
    public override string Fix => "Let at least one pod go: lower `minAvailable` below the replica count (or the HPA's minReplicas), use `maxUnavailable: 1`, or raise the replicas.";
    public override IReadOnlyList<string> Incidents => ["E3"];

    private static readonly HashSet<string> CountableKinds = new(KubeSupport.ScalableKinds, StringComparer.Ordinal) { "Pod" };
    private static readonly HashSet<string> UncountableKinds = new(StringComparer.Ordinal) { "DaemonSet", "Job", "CronJob" };

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var pdbs = model.OfKind("PodDisruptionBudget").Where(r => r.Family == ResourceFamily.Kubernetes).ToList();
        if (pdbs.Count == 0) yield break;

        // A budget with maxUnavailable (the common case) needs no look at the pods: the indexes are built on first need.
        PodOwners? owners = null;
        Dictionary<(string, string?, string, string), List<KubeSupport.Autoscaler>>? autoscalers = null;

        foreach (var pdb in pdbs)
        {
            var spec = pdb.Spec;
            if (spec == null) continue;
            var minNode = spec["minAvailable"] as ScalarNode;
            var maxNode = spec["maxUnavailable"] as ScalarNode;
            var min = KubeSupport.IntOrPercent(minNode);
            var max = KubeSupport.IntOrPercent(maxNode);

            if (max is { Value: 0 } && minNode is null or { IsNull: true })
            {
                yield return At(maxNode!, $"PodDisruptionBudget/{pdb.Name} sets maxUnavailable: {maxNode!.Value}, so no pod it covers may ever be evicted: node drains and upgrades hang until someone deletes the PDB",
                    "Allow one pod at a time: `maxUnavailable: 1` (the workload needs 2+ replicas to stay up during a drain).");
                continue;
            }
            if (min is not { } m) continue;
            if (m.Percent)
            {
                if (m.Value >= 100)
                {
                    yield return At(minNode!, $"PodDisruptionBudget/{pdb.Name} sets minAvailable: {minNode!.Value}: every pod it covers must stay up, so none may ever be evicted and node drains hang",
                        "Use a percentage below 100% (for example 50%) or `maxUnavailable: 1`.");
                    continue;
                }
            }
            if (m.Value <= 0) continue;

            // Which workloads' pods does the budget cover?
            var selector = KubeSupport.ParseSelector(spec["selector"]);
            // policy/v1: an empty selector covers every pod of the namespace; policy/v1beta1: it covers none.
            if (selector == null || selector.IsEmpty && pdb.ApiVersion != "policy/v1") continue;
            owners ??= new PodOwners(model);
            var candidates = owners.Candidates(KubeSupport.Unit(pdb), pdb.Namespace, selector);
            var matched = candidates.Where(c => selector.Matches(c.Labels)).ToList();
            if (matched.Count == 0) continue;
            // Plain folders often hold many unrelated examples; prefer the workloads that sit beside the PDB.
            var dir = Path.GetDirectoryName(pdb.File) ?? "";
            var local = matched.Where(c => (Path.GetDirectoryName(c.R.File) ?? "") == dir).ToList();
            if (local.Count > 0) matched = local;

            long total = 0;
            var parts = new List<string>();
            var related = new List<RelatedLocation>();
            var unknown = false;
            foreach (var (w, _) in matched)
            {
                var (count, how, where) = PodCount(w, autoscalers ??= KubeSupport.AutoscalersByTarget(model));
                if (count == null) { unknown = true; break; }
                total += count.Value;
                parts.Add($"{w.Kind}/{w.Name} {how}");
                related.Add(new RelatedLocation(where, $"{w.Kind}/{w.Name}: {how}"));
            }
            if (unknown || total <= 0) continue;

            var required = m.Percent ? (long)Math.Ceiling(m.Value * total / 100.0) : m.Value;
            if (required < total) continue;
            var what = m.Percent ? $"minAvailable: {minNode!.Value} (rounded up: {required} of {total} pods)" : $"minAvailable: {m.Value}";
            var atFloor = parts.Any(p => p.Contains("minReplicas", StringComparison.Ordinal) || p.Contains("minReplicaCount", StringComparison.Ordinal));
            yield return At(minNode!,
                $"PodDisruptionBudget/{pdb.Name} {what} needs every one of the {total} pod(s) it covers ({string.Join(", ", parts)}) to stay up" +
                (atFloor ? " at the autoscaler's minimum" : "") + ", so no pod may be evicted: node drains and upgrades hang",
                $"Set minAvailable to at most {total - 1}" + (total == 1 ? " (i.e. run 2+ replicas first, or use maxUnavailable: 1)" : " or use `maxUnavailable: 1`") + (atFloor ? ", or raise the autoscaler's minimum." : ", or raise the replicas."),
                related);
        }
    }

    /// <summary>Pod owners indexed by (unit, namespace) and by (unit, namespace, label=value) so a selector only looks at candidates.</summary>
    private sealed class PodOwners
    {
        private readonly Dictionary<(string, string?), List<(Resource R, IReadOnlyDictionary<string, string> Labels)>> _byNamespace = new();
        private readonly Dictionary<(string, string?, string, string), List<(Resource R, IReadOnlyDictionary<string, string> Labels)>> _byLabel = new();

        public PodOwners(DeploymentModel model)
        {
            var seen = new HashSet<(string, string, string?, string)>();
            foreach (var r in model.Resources)
            {
                if (r.Family != ResourceFamily.Kubernetes || !(CountableKinds.Contains(r.Kind) || UncountableKinds.Contains(r.Kind))) continue;
                if (!seen.Add((KubeSupport.Unit(r), r.Kind, r.Namespace, r.Name))) continue; // the same object twice in one unit counts once
                var labels = KubeSupport.PodLabels(r);
                var entry = (r, labels);
                var nsKey = (KubeSupport.Unit(r), r.Namespace);
                if (!_byNamespace.TryGetValue(nsKey, out var list)) _byNamespace[nsKey] = list = new();
                list.Add(entry);
                foreach (var (k, v) in labels)
                {
                    var key = (KubeSupport.Unit(r), r.Namespace, k, v);
                    if (!_byLabel.TryGetValue(key, out var l2)) _byLabel[key] = l2 = new();
                    l2.Add(entry);
                }
            }
        }

        public IEnumerable<(Resource R, IReadOnlyDictionary<string, string> Labels)> Candidates(string unit, string? ns, KubeSupport.LabelSelector selector) =>
            selector.MatchLabels.Count > 0
                ? _byLabel.GetValueOrDefault((unit, ns, selector.MatchLabels[0].Key, selector.MatchLabels[0].Value)) ?? []
                : _byNamespace.GetValueOrDefault((unit, ns)) ?? [];
    }

    /// <summary>The fewest pods the workload runs, how we know, and where that number is written; null count when it cannot be told.</summary>
    private static (long? Count, string How, SourceSpan Where) PodCount(Resource w, Dictionary<(string, string?, string, string), List<KubeSupport.Autoscaler>> autoscalers)
    {
        if (w.Kind == "Pod") return (1, "is a single pod", w.Anchor);
        if (!KubeSupport.ScalableKinds.Contains(w.Kind)) return (null, "", w.Anchor);
        if (autoscalers.TryGetValue((w.Kind, w.Namespace, w.Name, KubeSupport.Unit(w)), out var list))
        {
            long? floor = null;
            KubeSupport.Autoscaler? owner = null;
            foreach (var a in list)
            {
                if (a.Floor is not { } f) return (null, "", w.Anchor);
                if (floor == null || f < floor) { floor = f; owner = a; }
            }
            var field = owner!.IsKeda ? "minReplicaCount" : "minReplicas";
            var how = owner.MinNode != null ? $"scaled by {owner.Resource.Kind}/{owner.Resource.Name} down to {field} {floor}" : $"scaled by {owner.Resource.Kind}/{owner.Resource.Name} down to {floor} (minReplicas defaults to 1)";
            return (floor, how, (owner.MinNode ?? (Node?)owner.Resource.Metadata?["name"] ?? owner.Resource.Body).Span);
        }
        var replicas = w.Spec?["replicas"] as ScalarNode;
        if (KubeSupport.Integer(replicas) is { } n) return (n, $"replicas: {n}", replicas!.Span);
        return (null, "", w.Anchor); // unset replicas: something outside the files may scale it
    }
}
