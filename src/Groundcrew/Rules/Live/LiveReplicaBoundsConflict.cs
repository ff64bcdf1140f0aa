using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;

namespace Groundcrew.Rules.Live;

/// <summary>
/// E3 in the live cluster: for a Deployment or StatefulSet of the repository, the numbers that exist contradict each
/// other: the live replica count lies outside its HPA's minReplicas..maxReplicas (the HPA undoes the scale), the HPA's
/// minimum is above its maximum, or a PodDisruptionBudget selecting its pods leaves no disruption allowed at the
/// replica count that runs (minAvailable at or above it, or maxUnavailable 0): every voluntary eviction is refused
/// and node drains hang. Silent for workloads the cluster part of the snapshot does not hold, and when workloads,
/// HPAs or PDBs of the namespace could not be listed.
/// </summary>
public sealed class LiveReplicaBoundsConflict : Rule
{
    public override string Title => "The live replica count, HPA bounds and PodDisruptionBudget contradict each other";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "Replicas jump back after a scale (the HPA overrides it), and `kubectl drain` hangs: `Cannot evict pod as it would violate the pod's disruption budget`.";
    public override string Fix =>
        "Let the HPA own the count (no spec.replicas, minReplicas as the floor) and size the PDB below it (minAvailable under minReplicas, or maxUnavailable: 1).";
    public override IReadOnlyList<string> Incidents => ["E3"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryKube(context, out var snapshot, out var kube, "kube.workloads", "kube.hpas", "kube.pdbs")) yield break;
        foreach (var w in context.Model.OfKinds("Deployment", "StatefulSet"))
        {
            if (w.Family != ResourceFamily.Kubernetes) continue;
            var ns = w.Namespace ?? "default";
            if (new[] { "kube.workloads", "kube.hpas", "kube.pdbs" }.Any(p => !snapshot.Knows($"{p}:{ns}"))) continue;
            if (kube.Workloads.FirstOrDefault(l => l.Kind == w.Kind && l.Namespace == ns && l.Name == w.Name) is not { } live) continue;
            var hpa = kube.Hpas.FirstOrDefault(h => h.Namespace == ns && h.TargetKind == w.Kind && h.TargetName == w.Name);
            var replicas = live.Replicas ?? 1;
            var contradictions = new List<string>();
            if (hpa != null)
            {
                var min = hpa.MinReplicas ?? 1;
                if (min > hpa.MaxReplicas)
                    contradictions.Add($"HorizontalPodAutoscaler/{hpa.Name} has minReplicas {min} above maxReplicas {hpa.MaxReplicas}");
                else if (replicas > 0 && (replicas < min || replicas > hpa.MaxReplicas))
                    contradictions.Add($"it runs {replicas} replica(s), outside HorizontalPodAutoscaler/{hpa.Name}'s {min}..{hpa.MaxReplicas}: the HPA scales it back to {(replicas < min ? min : hpa.MaxReplicas)}");
            }
            foreach (var pdb in kube.Pdbs.Where(p => p.Namespace == ns && Selects(p, live)))
                if (Blocks(pdb, replicas) is { } why)
                    contradictions.Add($"PodDisruptionBudget/{pdb.Name} {why}: no pod may be evicted, so node drains hang");
            if (contradictions.Count == 0) continue;
            var anchor = w.Spec?["replicas"] ?? w.Metadata?["name"] ?? (Node)w.Body;
            yield return At(anchor,
                $"In the cluster, {w.Kind}/{w.Name} (namespace {ns}): {string.Join("; ", contradictions)} {LiveFacts.Observed(snapshot)}.",
                hpa != null
                    ? $"Drop `spec.replicas` (HorizontalPodAutoscaler/{hpa.Name} owns the count), keep minReplicas <= maxReplicas, and set the PDB below minReplicas {hpa.MinReplicas ?? 1} (or maxUnavailable: 1)."
                    : $"Set the PDB below the {replicas} replica(s) that run (or maxUnavailable: 1), or run more replicas.");
        }
    }

    /// <summary>A PDB with a selector whose every label the workload's pod selector carries (an empty selector selects nothing here).</summary>
    private static bool Selects(PdbFact pdb, WorkloadFact w) =>
        pdb.SelectorLabels.Count > 0 && pdb.SelectorLabels.All(l => w.SelectorLabels.TryGetValue(l.Key, out var v) && v == l.Value);

    /// <summary>Why the PDB allows no disruption with <paramref name="replicas"/> pods, or null.</summary>
    private static string? Blocks(PdbFact pdb, int replicas)
    {
        if (pdb.MinAvailable is { } min)
        {
            if (Count(min, replicas) is { } need && need >= replicas && replicas > 0)
                return $"requires minAvailable {min} of {replicas} running pod(s)";
            return null;
        }
        if (pdb.MaxUnavailable is { } max && Count(max, replicas) == 0) return $"allows maxUnavailable {max}";
        return null;
    }

    /// <summary>"7" is 7 pods; "70%" of 10 pods is 7 (minAvailable rounds up, as the disruption controller does).</summary>
    private static int? Count(string value, int replicas)
    {
        if (int.TryParse(value, out var n)) return n;
        if (value.EndsWith('%') && int.TryParse(value[..^1], out var pct)) return (int)Math.Ceiling(replicas * pct / 100.0);
        return null;
    }
}
