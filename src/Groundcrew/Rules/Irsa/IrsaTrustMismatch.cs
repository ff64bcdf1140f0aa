using Groundcrew.Core;
using Groundcrew.Iam;

namespace Groundcrew.Rules.Irsa;

/// <summary>
/// A ServiceAccount's <c>eks.amazonaws.com/role-arn</c> names a role declared in the scanned code whose trust does not
/// accept the pod's token: the <c>&lt;issuer&gt;:sub</c> condition names another namespace or ServiceAccount, the
/// <c>:aud</c> condition is not the token's audience, or no statement lets an OIDC provider assume the role with
/// sts:AssumeRoleWithWebIdentity. Both ends are reported: the finding sits at the end to edit, the other is related.
/// Unknown stays unknown: a role not in the scanned code, a condition computed at apply time, a ServiceAccount covered
/// by an EKS Pod Identity association give no finding.
/// </summary>
public sealed class IrsaTrustMismatch : Rule
{
    public override string Title => "IRSA role trust does not match the ServiceAccount that carries its ARN";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents => "`AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity` (or `InvalidIdentityToken: Incorrect token audience`): the pod gets no AWS credentials and every AWS call fails (incidents A2, B1)";
    public override string Fix => "Make the role's trust condition `<issuer-host>:sub` equal `system:serviceaccount:<namespace>:<serviceaccount>` of the ServiceAccount that carries the role ARN (or rename the ServiceAccount), with `<issuer-host>:aud` = `sts.amazonaws.com`.";
    public override IReadOnlyList<string> Incidents => ["A2", "B1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var facts = IrsaFacts.For(context.Model);
        foreach (var sa in facts.ServiceAccounts)
        {
            if (facts.CoveredByPodIdentity(sa)) continue;
            if ((sa.BoundRole ?? facts.Role(sa.RoleName)) is not { } role) continue;
            var subject = $"system:serviceaccount:{sa.Namespace ?? "<namespace>"}:{sa.Name}";

            if (role.WebIdentity.Count == 0)
            {
                if (role.TrustUnknown || role.TrustsPodIdentity) continue;
                yield return At(sa.Annotation,
                    $"ServiceAccount {sa.Display} names role {role.Name}, but the role's trust policy has no statement letting an EKS OIDC provider assume it "
                    + "with sts:AssumeRoleWithWebIdentity: the pod cannot get credentials",
                    fix: $"Add to the trust policy of role {role.Name}: {{\"Effect\": \"Allow\", \"Principal\": {{\"Federated\": \"arn:aws:iam::<account>:oidc-provider/<issuer-host>\"}}, "
                         + $"\"Action\": \"sts:AssumeRoleWithWebIdentity\", \"Condition\": {{\"StringEquals\": {{\"<issuer-host>:sub\": \"{subject}\", \"<issuer-host>:aud\": \"{IrsaFacts.DefaultAudience}\"}}}}}}",
                    related: [new RelatedLocation(role.TrustSpan, $"the trust policy of role {role.Name}")]);
                continue;
            }

            var answers = role.WebIdentity.Select(t => (Trust: t, Applies: t.Allows(sa.Namespace, sa.Name))).ToList();
            var allowing = answers.Where(a => a.Applies == Applies.Yes).Select(a => a.Trust).ToList();
            if (allowing.Count == 0)
            {
                if (answers.Any(a => a.Applies != Applies.No)) continue;
                var subjects = role.WebIdentity.SelectMany(t => t.Subjects).ToList();
                var first = subjects[0];
                var trusted = string.Join(", ", subjects.Select(s => s.Value).Distinct());
                var message = $"role {role.Name} trusts {trusted} but the ServiceAccount that carries its ARN is {sa.Display}: "
                              + "sts:AssumeRoleWithWebIdentity is denied and every AWS call of its pods fails";
                var fix = $"Set the trust condition `<issuer-host>:sub` of role {role.Name} to \"{subject}\", or point the ServiceAccount at a role that trusts it";
                // The trust names a ServiceAccount that exists in the manifests: it is right for that one, this annotation is the odd end.
                if (subjects.Any(s => s.Namespace != null && s.Name != null && !s.IsPattern && facts.ServiceAccountExists(s.Namespace, s.Name)))
                    yield return At(sa.Annotation, message,
                        fix: $"Use the ServiceAccount the role trusts ({trusted}) for these pods, or add \"{subject}\" to the trust condition `<issuer-host>:sub` of role {role.Name}",
                        related: [new RelatedLocation(first.Span, $"the trust condition of role {role.Name}")]);
                else
                    yield return At(first.Span, message, fix,
                        related: [new RelatedLocation(sa.Annotation.Span, $"ServiceAccount {sa.Display} names role {role.Name}")]);
                continue;
            }

            if (allowing.All(t => !t.AcceptsAudience(sa.Audience)))
            {
                var aud = allowing.SelectMany(t => t.Audiences).First();
                yield return At(aud.Span,
                    $"role {role.Name} requires the token audience (aud) {aud.Value}, but the token of ServiceAccount {sa.Display} has audience {sa.Audience}: "
                    + "STS answers `InvalidIdentityToken: Incorrect token audience`",
                    fix: $"Set the trust condition `<issuer-host>:aud` of role {role.Name} to \"{sa.Audience}\"",
                    related: [new RelatedLocation(sa.Annotation.Span, $"ServiceAccount {sa.Display} names role {role.Name}")]);
            }
        }
    }
}
