using Groundcrew.Core;
using Groundcrew.Model;

namespace Groundcrew.Rules.References;

/// <summary>
/// A pod template runs as a ServiceAccount no scanned file defines. Unknown, not wrong (eksctl and Helm create
/// ServiceAccounts too): a note, unless `.groundcrew.yaml` says `complete: true`. "default" always exists.
/// </summary>
public sealed class MissingServiceAccount : Rule
{
    public override string Title => "ServiceAccount not defined in the scanned files";
    public override Severity DefaultSeverity => Severity.Note;
    public override string Prevents => "Error creating: pods \"api-5d4f8-\" is forbidden: error looking up service account default/api: serviceaccount \"api\" not found";
    public override string Fix => "Add the ServiceAccount to the deployment (on EKS with its `eks.amazonaws.com/role-arn` annotation), or fix serviceAccountName.";
    public override IReadOnlyList<string> Incidents => ["A2", "B1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        Dictionary<string, List<Resource>>? byName = null;
        foreach (var r in model.References)
        {
            if (r.TargetKind != "ServiceAccount" || r.Resolution != Resolution.Unknown || ReferenceFacts.IsBuiltInObject("ServiceAccount", r.TargetName) || ReferenceFacts.IsTemplated(r)) continue;
            byName ??= ReferenceFacts.ByName(model.OfKind("ServiceAccount"));
            var ns = r.TargetNamespace ?? "default";
            if (ReferenceFacts.InAnotherNamespaceImplicitly(byName, r.TargetName, r.From, r.TargetNamespace) is { } elsewhere)
            {
                yield return At(r.At,
                    $"{r.From.Kind} {r.From.Name} runs as ServiceAccount {r.TargetName} in namespace {ns}, which is defined for namespace {elsewhere.Namespace}; one of them sets no namespace, so this holds only if both are applied to the same one",
                    related: [new RelatedLocation(elsewhere.Anchor, $"ServiceAccount {r.TargetName} is defined here")]) with { Severity = Severity.Note };
                continue;
            }
            var message = $"{r.From.Kind} {r.From.Name} runs as ServiceAccount {r.TargetName} (namespace {ns}), which is not defined in the scanned files";
            message += model.Complete
                ? "; the configuration says they are complete, so the ReplicaSet cannot create pods"
                : "; created outside them (eksctl, Helm)? Set `complete: true` in .groundcrew.yaml to make this an error";
            yield return At(r.At, message) with { Severity = ReferenceFacts.UnknownSeverity(model) };
        }
    }
}
