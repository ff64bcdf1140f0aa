using Groundcrew.Core;
using Groundcrew.Live.Inventory;
using Groundcrew.Model;

namespace Groundcrew.Rules.Live;

/// <summary>
/// B4 in the live cluster: pods of a repository's Deployment, StatefulSet or DaemonSet that read a Secret or ConfigMap
/// as environment (env valueFrom, envFrom) started before that object's last write (its newest managedFields time,
/// else its creation time). Env is read once, at container start: those pods still hold the old value until they
/// are restarted. Names and times only; the snapshot never holds the data. Silent when pods or the objects of the
/// namespace could not be listed, for objects the snapshot does not hold, and for volume mounts (the kubelet
/// refreshes those, except subPath mounts, which the repository-side rule covers).
/// </summary>
public sealed class LivePodEnvOlderThanConfig : Rule
{
    /// <summary>How many stale pods a finding names before it says "and N more".</summary>
    private const int PodsNamed = 5;

    private static readonly string[] LongRunning = ["Deployment", "StatefulSet", "DaemonSet"];

    public override string Title => "Running pods started before the last change of a Secret or ConfigMap they read as env";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "pods keep running with the old environment after the Secret/ConfigMap changed (old values in `printenv`)";
    public override string Fix =>
        "Restart the workload so the pods read the new values (`kubectl rollout restart`), and make the next change roll them by itself " +
        "(Kustomize secretGenerator/configMapGenerator hash suffix, a checksum annotation on the pod template, or Reloader).";
    public override IReadOnlyList<string> Incidents => ["B4"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryKube(context, out var snapshot, out var kube, "kube.pods")) yield break;
        var workloads = context.Model.Workloads.Where(w => w.Resource.Family == ResourceFamily.Kubernetes && LongRunning.Contains(w.Resource.Kind)).ToDictionary(w => w.Resource);
        foreach (var g in context.Model.References
                     .Where(r => r.TargetKind is "Secret" or "ConfigMap" && r.Via.StartsWith("env", StringComparison.Ordinal) && workloads.ContainsKey(r.From))
                     .GroupBy(r => (r.From, r.TargetKind, r.TargetName)))
        {
            var (resource, kind, name) = g.Key;
            var ns = resource.Namespace ?? "default";
            var part = kind == "Secret" ? "kube.secrets" : "kube.configMaps";
            if (!snapshot.Knows(part) || !snapshot.Knows($"{part}:{ns}") || !snapshot.Knows($"kube.pods:{ns}")) continue;
            var live = (kind == "Secret" ? kube.Secrets : kube.ConfigMaps).FirstOrDefault(o => o.Namespace == ns && o.Name == name);
            if (live?.LastChange is not { } changed) continue;
            var pods = kube.Pods.Where(p => p.Namespace == ns && p.Phase == "Running" && OwnedBy(p, resource)).ToList();
            var stale = pods.Where(p => p.StartTime is { } started && started < changed && (kind == "Secret" ? p.EnvSecrets : p.EnvConfigMaps).Contains(name))
                .OrderBy(p => p.StartTime).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
            if (stale.Count == 0) continue;
            var named = string.Join(", ", stale.Take(PodsNamed).Select(p => $"`{p.Name}` (started {Utc(p.StartTime!.Value)})"))
                        + (stale.Count > PodsNamed ? $" and {stale.Count - PodsNamed} more" : "");
            var restart = $"kubectl rollout restart {resource.Kind.ToLowerInvariant()}/{resource.Name} -n {ns}";
            yield return At(g.First().At,
                $"{stale.Count} of {pods.Count} running pod(s) of {resource.Kind}/{resource.Name} (namespace {ns}) started before {kind} `{name}` last changed " +
                $"({Utc(changed)}): {named} still have the old value(s) in their environment {LiveFacts.Observed(snapshot)}. A rollout restart is needed.",
                $"`{restart}`; then make the next change of {kind} `{name}` roll the pods by itself (a generator hash suffix, a checksum annotation, or Reloader).");
        }
    }

    /// <summary>
    /// A pod of the workload: a StatefulSet's or DaemonSet's pods name it as owner; a Deployment's name its ReplicaSet
    /// NAME-HASH (the pod-template hash has no dash), old ReplicaSets still running pods included.
    /// </summary>
    private static bool OwnedBy(PodFact pod, Resource workload)
    {
        if (pod.Owner is not { } owner) return false;
        if (workload.Kind != "Deployment") return owner == $"{workload.Kind}/{workload.Name}";
        var prefix = $"ReplicaSet/{workload.Name}-";
        return owner.StartsWith(prefix, StringComparison.Ordinal) && owner.Length > prefix.Length && !owner[prefix.Length..].Contains('-');
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
