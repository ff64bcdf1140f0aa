using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.Kubernetes;

/// <summary>
/// An HPA whose scaleTargetRef names a Deployment/StatefulSet/... that is not in the scanned namespace. It is an error when
/// the scan is known to hold the target (config `complete: true`, or the HPA's own file or Kustomize build defines
/// workloads, so the target was meant to be there); otherwise a note, since the target may be deployed from elsewhere.
/// </summary>
public sealed class HpaTargetMissing : Rule
{
    public override string Title => "HPA targets a workload that does not exist";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "an HPA that never scales anything: `FailedGetScale  the HPA controller was unable to get the target's current scale: deployments/scale.apps \"web\" not found`";
    public override string Fix => "Point spec.scaleTargetRef at the workload's real kind and name (after any Kustomize namePrefix/nameSuffix), or delete the HPA.";

    private static string StripDigits(string s) => new(s.Where(c => !char.IsAsciiDigit(c)).ToArray());

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var hpas = model.OfKind("HorizontalPodAutoscaler").Where(KubeSupport.IsHpa).ToList();
        // Most HPAs find their target: the indexes for explaining a miss are built only when one does not.
        var missing = new List<(Resource Hpa, KubeSupport.Autoscaler A)>();
        foreach (var hpa in hpas)
        {
            var a = KubeSupport.ReadHpa(hpa);
            if (a == null || !KubeSupport.ScalableKinds.Contains(a.TargetKind) || KubeSupport.IsPlaceholder(a.TargetName)) continue;
            if (model.Find(a.TargetKind, hpa.Namespace, a.TargetName) == null) missing.Add((hpa, a));
        }
        if (missing.Count == 0) yield break;
        var filesWithWorkloads = model.Resources.Where(r => r.Family == ResourceFamily.Kubernetes && KubeKinds.IsWorkload(r.Kind))
            .Select(r => r.File).ToHashSet(StringComparer.Ordinal);
        var byName = new Dictionary<(string?, string), List<Resource>>();
        var byKindNs = new Dictionary<(string, string?), List<Resource>>();
        foreach (var r in model.Resources)
            if (r.Family == ResourceFamily.Kubernetes && KubeSupport.ScalableKinds.Contains(r.Kind))
            {
                if (!byName.TryGetValue((r.Namespace, r.Name), out var l)) byName[(r.Namespace, r.Name)] = l = new();
                l.Add(r);
                if (!byKindNs.TryGetValue((r.Kind, r.Namespace), out var k)) byKindNs[(r.Kind, r.Namespace)] = k = new();
                k.Add(r);
            }

        foreach (var (hpa, a) in missing)
        {
            var refNode = hpa.Spec!.GetMap("scaleTargetRef")!["name"]!;
            var target = $"{a.TargetKind}/{a.TargetName}";
            var otherKind = byName.GetValueOrDefault((hpa.Namespace, a.TargetName))?.FirstOrDefault();
            if (otherKind != null)
            {
                yield return At(refNode, $"HorizontalPodAutoscaler/{hpa.Name} targets {target}, but {a.TargetName} in namespace {hpa.Namespace} is a {otherKind.Kind}: the HPA cannot get its scale and never scales it",
                    $"Set scaleTargetRef.kind: {otherKind.Kind} (apiVersion {otherKind.ApiVersion}).",
                    [new RelatedLocation(otherKind.Anchor, $"{otherKind.Kind}/{otherKind.Name}")]);
                continue;
            }
            // A workload of that kind whose name is one or two edits away is almost certainly the intended target.
            var sameKind = byKindNs.GetValueOrDefault((a.TargetKind, hpa.Namespace)) ?? [];
            var near = KubeSupport.Nearest(a.TargetName, sameKind.Select(r => r.Name).Distinct(), a.TargetName.Length <= 4 ? 1 : 2);
            // Names that differ only in digits (api-v1 / api-v2, web-1 / web-2) are siblings, not typos.
            if (near != null && StripDigits(near) == StripDigits(a.TargetName)) near = null;
            if (near != null)
            {
                var nearRes = sameKind.First(r => r.Name == near);
                yield return At(refNode, $"HorizontalPodAutoscaler/{hpa.Name} targets {target}, which does not exist in namespace {hpa.Namespace}; {a.TargetKind}/{near} does: the HPA never scales anything",
                    $"Did you mean `name: {near}`?", [new RelatedLocation(nearRes.Anchor, $"{a.TargetKind}/{near}")]);
                continue;
            }
            var sure = model.Complete || filesWithWorkloads.Contains(hpa.File);
            var finding = At(refNode, sure
                ? $"HorizontalPodAutoscaler/{hpa.Name} targets {target}, which is not defined in namespace {hpa.Namespace}" + (model.Complete ? " (config says the scan is complete)" : $" although {hpa.File} defines the other workloads") + ": the HPA never scales anything"
                : $"HorizontalPodAutoscaler/{hpa.Name} targets {target}, which is not among the scanned files (namespace {hpa.Namespace}); if it is not deployed from elsewhere, the HPA never scales anything");
            yield return sure ? finding : finding with { Severity = Severity.Note };
        }
    }
}
