using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>
/// Shared logic of missing-secret and missing-configmap: a pod references an object no scanned file defines or
/// creates. That is unknown, not wrong (the object may be made by hand, by CI or by Helm): a note, unless
/// `.groundcrew.yaml` says `complete: true`. One finding per workload and object, at its first reference.
/// </summary>
public abstract class MissingObjectRule : Rule
{
    protected abstract string TargetKind { get; }

    public override Severity DefaultSeverity => Severity.Note;

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var groups = model.References
            .Where(r => r.TargetKind == TargetKind && r.Resolution == Resolution.Unknown && !r.Optional && !ReferenceFacts.IsBuiltInObject(r.TargetKind, r.TargetName) && !ReferenceFacts.IsTemplated(r))
            .GroupBy(r => (r.From, r.TargetNamespace, r.TargetName));
        foreach (var g in groups)
        {
            var first = g.First();
            var uses = g.Select(r => r.Via).Distinct().ToList();
            var usedBy = string.Join("; ", uses.Take(4)) + (uses.Count > 4 ? $"; and {uses.Count - 4} more" : "");
            var ns = first.TargetNamespace ?? "default";
            var severity = ReferenceFacts.UnknownSeverity(model);
            var elsewhere = KeyProviderIndex.For(model).InAnotherNamespaceImplicitly(TargetKind, first.TargetName, first.From, first.TargetNamespace);
            if (elsewhere != null)
            {
                var ens = elsewhere.Namespace ?? elsewhere.Source.Namespace;
                yield return At(first.At,
                    $"{TargetKind} {first.TargetName} is used in namespace {ns} by {first.From.Kind} {first.From.Name} ({usedBy}) but defined for namespace {ens}; one of them sets no namespace, so this holds only if both are applied to the same one",
                    related: [new RelatedLocation(elsewhere.Source.Anchor, $"{TargetKind} {first.TargetName} ({elsewhere.Source.Kind}) is defined here")]) with { Severity = Severity.Note };
                continue;
            }
            var message = $"{TargetKind} {first.TargetName} (namespace {ns}) used by {first.From.Kind} {first.From.Name} ({usedBy}) is not defined in the scanned files";
            message += model.Complete
                ? "; the configuration says they are complete, so the pod will not start"
                : "; defined outside the scanned files? (set `complete: true` in .groundcrew.yaml to make this an error)";
            yield return At(first.At, message) with { Severity = severity };
        }
    }
}
