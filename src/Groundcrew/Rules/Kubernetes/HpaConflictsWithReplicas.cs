using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// A Deployment or StatefulSet that writes `spec.replicas` while an HPA owns the count with a different minimum. The HPA
/// overrides the manifest within seconds, and every `kubectl apply` or GitOps sync writes the manifest's number back:
/// the two fight, and the number in Git is never what runs (E3: scaled to 2 while the HPA minimum was 10).
/// </summary>
public sealed class HpaConflictsWithReplicas : Rule
{
    public override string Title => "Manual replicas fight the HPA";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "replicas jumping between the manifest's value and the HPA's on every apply/sync (Argo CD shows the app OutOfSync; a scale-down under load on each deploy)";
    public override string Fix => "Remove `spec.replicas` from the workload and let the HPA own the count (set the floor with the HPA's minReplicas).";
    public override IReadOnlyList<string> Incidents => ["E3"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        if (!model.HasAny("HorizontalPodAutoscaler")) yield break;
        var autoscalers = KubeSupport.AutoscalersByTarget(model);
        foreach (var w in model.OfKinds("Deployment", "StatefulSet"))
        {
            if (w.Family != ResourceFamily.Kubernetes) continue;
            var replicasNode = w.Spec?["replicas"] as ScalarNode;
            if (KubeSupport.Integer(replicasNode) is not { } replicas) continue;
            if (!autoscalers.TryGetValue((w.Kind, w.Namespace, w.Name, KubeSupport.Unit(w)), out var list)) continue;
            var hpa = list.FirstOrDefault(a => !a.IsKeda);
            if (hpa == null || list.Count(a => !a.IsKeda) > 1) continue; // two HPAs on one target is its own problem
            if (replicas == 0) continue; // scaled to zero on purpose: the HPA does not act on a workload with 0 replicas
            var min = hpa.Min ?? 1;
            var hpaName = $"HorizontalPodAutoscaler/{hpa.Resource.Name}";
            var minText = hpa.Min is null ? "minReplicas (default 1)" : $"minReplicas {min}";
            string message;
            if (replicas < min)
                message = $"{w.Kind}/{w.Name} sets replicas: {replicas}, but {hpaName} has {minText}: the HPA scales it straight back to {min}, so {replicas} never holds, and each apply/sync writes {replicas} again";
            else if (hpa.Max is { } max && replicas > max)
                message = $"{w.Kind}/{w.Name} sets replicas: {replicas}, above {hpaName}'s maxReplicas {max}: the HPA scales it down to {max}, and each apply/sync writes {replicas} again";
            else if (replicas == min)
                // Still a fight: harmless at rest, but the Kubernetes docs warn that any apply of the manifest scales to
                // spec.replicas, so the first deploy under load drops the HPA's scale-up back to the minimum.
                message = $"{w.Kind}/{w.Name} sets replicas: {replicas}, equal to {hpaName}'s {minText}: harmless at rest, but once the HPA scales up, each apply/sync drops the running count back to {replicas}";
            else
                message = $"{w.Kind}/{w.Name} sets replicas: {replicas} while {hpaName} ({minText}) owns the count: each apply/sync resets the running count to {replicas}, overriding what the HPA chose, until the HPA moves it again";
            var hpaAnchor = (hpa.MinNode ?? (Node?)hpa.Resource.Metadata?["name"] ?? hpa.Resource.Body).Span;
            yield return At(replicasNode!, message, related: [new RelatedLocation(hpaAnchor, $"{hpaName} targets {w.Kind}/{w.Name}")]);
        }
    }
}
