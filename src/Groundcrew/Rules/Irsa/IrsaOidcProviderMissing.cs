using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Rules.Values;

namespace Groundcrew.Rules.Irsa;

/// <summary>
/// IRSA is used (a ServiceAccount carries a role ARN, or a role trusts an OIDC provider with sts:AssumeRoleWithWebIdentity)
/// and the EKS cluster is declared in the scanned Terraform, but IAM never gets an OpenID Connect provider for the
/// cluster's issuer: no <c>aws_iam_openid_connect_provider</c> (resource or data lookup) at all, the
/// terraform-aws-modules/eks module called with <c>enable_irsa = false</c>, or a trust whose Federated principal names a
/// provider host that none of the declared providers has. Providers created by eksctl (a script running
/// <c>eksctl utils associate-iam-oidc-provider</c>, a ClusterConfig with <c>iam.withOIDC: true</c>) count as declared.
/// </summary>
public sealed class IrsaOidcProviderMissing : Rule
{
    public override string Title => "EKS cluster without an IAM OIDC provider while IRSA is used";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Prevents => "`InvalidIdentityToken: No OpenIDConnect provider found in your account`: pods with an IRSA role get no AWS credentials (incidents A2, B1)";
    public override string Fix => "Declare the provider for the cluster's issuer: resource \"aws_iam_openid_connect_provider\" with url = aws_eks_cluster.<name>.identity[0].oidc[0].issuer and client_id_list = [\"sts.amazonaws.com\"] (or enable_irsa = true on the EKS module, or `eksctl utils associate-iam-oidc-provider --approve`).";
    public override IReadOnlyList<string> Incidents => ["A2", "B1"];

    public override IEnumerable<Finding> Check(RuleContext context)
    {
        var model = context.Model;
        var facts = IrsaFacts.For(model);
        var users = Users(facts).ToList();
        if (users.Count == 0) return [];
        var findings = new List<Finding>();
        var providers = model.OfKind("aws_iam_openid_connect_provider").Where(r => r.Family == ResourceFamily.Terraform).ToList();
        var related = users.Take(3).ToList();

        // The scripts are read only when there is something to report: most repositories with IRSA declare no cluster here.
        if (providers.Count == 0 && (HasEksCluster(model) || HasEksModuleWithoutIrsa(model)) && !CreatedOutsideTerraform(model))
        {
            foreach (var cluster in model.OfKind("aws_eks_cluster").Where(IsDeclaredCluster))
            {
                var name = IrsaFacts.Literal(cluster.Body["name"]);
                findings.Add(At((cluster.Body["name"] ?? cluster.Body).Span,
                    $"EKS cluster {name ?? cluster.Name} is declared here, but no aws_iam_openid_connect_provider is declared for its OIDC issuer, "
                    + $"while {Describe(users)} rely on IRSA: STS will answer `No OpenIDConnect provider found in your account`",
                    fix: $"Add resource \"aws_iam_openid_connect_provider\" \"eks\" {{ url = {cluster.Address}.identity[0].oidc[0].issuer, client_id_list = [\"sts.amazonaws.com\"] }}",
                    related: related));
            }
            foreach (var module in model.OfKind("module"))
            {
                if (EksModuleWithoutIrsa(module) is not { } off) continue;
                findings.Add(At(off,
                    $"the EKS module {module.Name} is called with enable_irsa = false, so it creates no IAM OIDC provider for the cluster, "
                    + $"while {Describe(users)} rely on IRSA: STS will answer `No OpenIDConnect provider found in your account`",
                    fix: "Set enable_irsa = true (the module then creates the provider and outputs oidc_provider_arn), or declare an aws_iam_openid_connect_provider for the cluster's issuer",
                    related: related));
            }
        }

        // A literal Federated provider host none of the declared providers has (all of their URLs known).
        var hosts = providers.Select(p => p.Body["url"]).ToList();
        if (hosts.Count > 0 && hosts.All(h => h is ScalarNode { Value: { Length: > 0 } }))
        {
            var declared = hosts.Select(h => TrustPolicy.HostOf(((ScalarNode)h!).Value!)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var role in facts.Roles)
                foreach (var t in role.WebIdentity)
                {
                    if (t.Provider == TrustPolicy.UnknownProvider || t.Provider.Contains("${", StringComparison.Ordinal)) continue;
                    var host = TrustPolicy.HostOf(t.Provider);
                    if (declared.Contains(host)) continue;
                    findings.Add(At(t.ProviderSpan ?? t.Span,
                        $"role {role.Name} trusts the OIDC provider {host}, but the provider declared here is for {string.Join(", ", declared)}: "
                        + "STS will answer `No OpenIDConnect provider found in your account`",
                        fix: $"Make the Federated principal of role {role.Name} the declared provider's ARN (aws_iam_openid_connect_provider.<name>.arn)",
                        related: providers.Select(p => new RelatedLocation((p.Body["url"] ?? p.Body).Span, "the declared OIDC provider")).Take(3).ToList()));
                }
        }
        return findings;
    }

    private static bool IsDeclaredCluster(Resource r) => r.Family == ResourceFamily.Terraform && !IrsaFacts.IsData(r);

    private static bool HasEksCluster(DeploymentModel model) => model.OfKind("aws_eks_cluster").Any(IsDeclaredCluster);

    private static bool HasEksModuleWithoutIrsa(DeploymentModel model) => model.OfKind("module").Any(m => EksModuleWithoutIrsa(m) != null);

    /// <summary>The <c>enable_irsa = false</c> of a terraform-aws-modules EKS module call, or null.</summary>
    private static ScalarNode? EksModuleWithoutIrsa(Resource module) =>
        IsEksModule(module.Body.GetString("source")) && module.Body["enable_irsa"] is ScalarNode { Value: "false" } off ? off : null;

    private static bool IsEksModule(string? source) =>
        source != null && (source == "terraform-aws-modules/eks/aws" || source.EndsWith("terraform-aws-modules/terraform-aws-eks", StringComparison.Ordinal)
                           || source.Contains("terraform-aws-modules/terraform-aws-eks.git", StringComparison.Ordinal) && !source.Contains("//modules/", StringComparison.Ordinal));

    /// <summary>The places that need the provider: annotated ServiceAccounts and roles trusting an OIDC provider.</summary>
    private static IEnumerable<RelatedLocation> Users(IrsaFacts facts)
    {
        foreach (var sa in facts.ServiceAccounts)
            yield return new RelatedLocation(sa.Annotation.Span, $"ServiceAccount {sa.Display} uses IRSA role {sa.RoleName}");
        foreach (var role in facts.Roles)
            if (role.WebIdentity.Count > 0)
                yield return new RelatedLocation(role.WebIdentity[0].Span, $"role {role.Name} trusts an OIDC provider");
    }

    private static string Describe(List<RelatedLocation> users)
    {
        var sas = users.Count(u => u.Message.StartsWith("ServiceAccount", StringComparison.Ordinal));
        var roles = users.Count - sas;
        var parts = new List<string>();
        if (sas > 0) parts.Add(sas == 1 ? "1 ServiceAccount" : $"{sas} ServiceAccounts");
        if (roles > 0) parts.Add(roles == 1 ? "1 role" : $"{roles} roles");
        return string.Join(" and ", parts);
    }

    /// <summary>eksctl creates the provider: a script runs associate-iam-oidc-provider, or a ClusterConfig asks for withOIDC.</summary>
    private static bool CreatedOutsideTerraform(DeploymentModel model)
    {
        if (model.OfKind("ClusterConfig").Any(c => c.Body.GetMap("iam")?["withOIDC"] is ScalarNode { Value: "true" or "True" })) return true;
        return RepoScripts.For(model).Files.Any(f => f.Text.Contains("associate-iam-oidc-provider", StringComparison.Ordinal)
                                                     || f.Text.Contains("create-open-id-connect-provider", StringComparison.Ordinal));
    }
}
