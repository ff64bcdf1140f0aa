using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Live.Inventory;
using Groundcrew.Rules.Irsa;
using System.Text.Json.Nodes;
using Groundcrew.Live;

namespace Groundcrew.Rules.Live;

/// <summary>
/// IRSA against the live account: the ServiceAccount's role exists, but the cluster's OIDC provider is missing
/// from IAM, or the role's trust policy does not trust the live issuer of any EKS cluster in the inventory for
/// system:serviceaccount:NAMESPACE:NAME (A2, B1). Silent when no EKS cluster (with an issuer) was collected.
/// </summary>
public sealed class LiveIrsaTrustMismatch : Rule
{
    public override string Title => "The IRSA role does not trust the cluster's live OIDC issuer for this ServiceAccount";
    public override Severity DefaultSeverity => Severity.Error;
    public override string Prevents =>
        "An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity";
    public override string Fix =>
        "Create the cluster's IAM OIDC provider (eksctl utils associate-iam-oidc-provider) and trust it in the role with a condition ISSUER:sub = system:serviceaccount:NAMESPACE:NAME.";
    public override IReadOnlyList<string> Incidents => ["A2", "B1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        if (!LiveFacts.TryAws(context, out var snapshot, out var aws, "iam.roles")) yield break;
        var account = snapshot.Sources.Aws?.Account;
        var issuers = aws.EksClusters.Where(c => c.OidcIssuer is { Length: > 0 })
            .Select(c => (Cluster: c.Name, Host: c.OidcIssuer!.Replace("https://", ""))).ToList();
        if (issuers.Count == 0 || account == null) yield break;
        foreach (var sa in IrsaFacts.For(context.Model).ServiceAccounts)
        {
            if (sa.BoundRole != null || aws.RoleByArnOrName(sa.RoleArn) is not { } role) continue;
            var ns = sa.Namespace ?? "default";
            var subject = $"system:serviceaccount:{ns}:{sa.Name}";
            var providers = issuers.Select(i => (i.Cluster, i.Host, Arn: $"arn:aws:iam::{account}:oidc-provider/{i.Host}")).ToList();
            if (snapshot.Knows("iam.oidcProviders") && providers.All(p => !aws.OidcProviders.Contains(p.Arn)))
            {
                yield return At(sa.Annotation,
                    $"ServiceAccount {sa.Display} uses role `{role.Name}`, but IAM has no OIDC provider for the issuer of cluster {string.Join(", ", providers.Select(p => $"`{p.Cluster}` ({p.Host})"))} {LiveFacts.Observed(snapshot)}: no pod can assume any IRSA role.",
                    $"Create the provider: `eksctl utils associate-iam-oidc-provider --cluster {providers[0].Cluster} --approve` (or aws_iam_openid_connect_provider for https://{providers[0].Host}).");
                continue;
            }
            var verdicts = providers.Select(p => (p, Trusts(role.TrustPolicy, p.Arn, p.Host, subject))).ToList();
            if (verdicts.Any(v => v.Item2 is Trust.Yes or Trust.Unknown)) continue;
            var federated = verdicts.Any(v => v.Item2 == Trust.ProviderOnly);
            var trusted = FederatedPrincipals(role.TrustPolicy).ToList();
            var p0 = providers[0];
            yield return At(sa.Annotation,
                federated
                    ? $"ServiceAccount {sa.Display} uses role `{role.Name}`, whose trust policy trusts the cluster's OIDC provider but not `{subject}` in its `{p0.Host}:sub` condition {LiveFacts.Observed(snapshot)}."
                    : $"ServiceAccount {sa.Display} uses role `{role.Name}`, whose trust policy does not trust the live issuer of cluster `{p0.Cluster}` (`{p0.Arn}`)" +
                      (trusted.Count > 0 ? $"; it trusts {string.Join(", ", trusted.Select(t => $"`{t}`"))}" : "; it trusts no OIDC provider") + $" {LiveFacts.Observed(snapshot)}.",
                $"In role `{role.Name}`'s trust policy, allow sts:AssumeRoleWithWebIdentity for Federated `{p0.Arn}` with StringEquals `{p0.Host}:sub` = `{subject}` and `{p0.Host}:aud` = `sts.amazonaws.com`.");
        }
    }

    private enum Trust { No, ProviderOnly, Yes, Unknown }

    private static IEnumerable<JsonObject> Statements(JsonNode? policy) =>
        policy.P("Statement") switch { JsonArray a => a.OfType<JsonObject>(), JsonObject o => [o], _ => [] };

    private static IEnumerable<string> Values(JsonNode? t) =>
        t switch { JsonArray a => a.Select(x => x.Str()).OfType<string>(), _ when t.IsString() => [t.Str()!], _ => [] };

    private static IEnumerable<string> FederatedPrincipals(JsonNode? policy) =>
        Statements(policy).SelectMany(s => Values(s.P("Principal").P("Federated"))).Distinct();

    private static Trust Trusts(JsonNode? policy, string providerArn, string host, string subject)
    {
        if (policy == null) return Trust.Unknown;
        var best = Trust.No;
        foreach (var s in Statements(policy))
        {
            if (s.P("Effect").Str() != "Allow") continue;
            if (!Values(s.P("Action")).Any(a => IamMatch.Glob(a, "sts:AssumeRoleWithWebIdentity", ignoreCase: true))) continue;
            if (!Values(s.P("Principal").P("Federated")).Contains(providerArn)) continue;
            var conditions = s.P("Condition") as JsonObject;
            var subs = new List<(string Op, string Value)>();
            foreach (var op in conditions ?? [])
                foreach (var key in op.Value as JsonObject ?? [])
                    if (key.Key == $"{host}:sub") subs.AddRange(Values(key.Value).Select(v => (op.Key, v)));
            if (subs.Count == 0) return Trust.Yes; // no sub condition: any ServiceAccount of the cluster
            if (subs.Any(c => c.Op.StartsWith("StringLike", StringComparison.Ordinal) ? IamMatch.Glob(c.Value, subject, ignoreCase: false) : c.Value == subject)) return Trust.Yes;
            if (subs.Any(c => !c.Op.StartsWith("String", StringComparison.Ordinal))) best = Trust.Unknown;
            else if (best == Trust.No) best = Trust.ProviderOnly;
        }
        return best;
    }
}
