using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.IrsaOidcProviderMissing;

public class IrsaOidcProviderMissingTests
{
    private const string Id = "irsa-oidc-provider-missing";

    private const string Cluster = """
        resource "aws_eks_cluster" "main" {
          name     = "ftc-cluster"
          role_arn = "arn:aws:iam::305032652600:role/eks-cluster"
          vpc_config {
            subnet_ids = ["subnet-0a1b2c3d"]
          }
        }
        """;

    private const string ServiceAccount =
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: os-service\n  namespace: ftc-app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::305032652600:role/os-service-role\n";

    [Fact]
    public void The_cluster_finding_names_the_service_accounts_that_need_the_provider()
    {
        var f = Scan.Files(("eks.tf", Cluster), ("sa.yaml", ServiceAccount)).Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Span.StartLine.Should().Be(2);
        f.Message.Should().Contain("ftc-cluster").And.Contain("1 ServiceAccount").And.Contain("No OpenIDConnect provider found");
        f.Related.Should().ContainSingle(r => r.Span.File == "sa.yaml" && r.Span.StartLine == 7);
        f.Fix.Should().Contain("aws_eks_cluster.main.identity[0].oidc[0].issuer");
    }

    [Fact]
    public void A_cluster_without_irsa_users_needs_no_provider() =>
        Scan.Files(("eks.tf", Cluster)).Of(Id).Should().BeEmpty();

    [Fact]
    public void A_provider_created_by_eksctl_in_a_script_counts() =>
        Scan.Files(("eks.tf", Cluster), ("sa.yaml", ServiceAccount), ("scripts/setup.sh", "eksctl utils associate-iam-oidc-provider --cluster ftc-cluster --approve\n"))
            .Of(Id).Should().BeEmpty();

    [Fact]
    public void A_provider_looked_up_with_a_data_source_counts() =>
        Scan.Files(("eks.tf", Cluster + "\ndata \"aws_iam_openid_connect_provider\" \"eks\" {\n  url = aws_eks_cluster.main.identity[0].oidc[0].issuer\n}\n"), ("sa.yaml", ServiceAccount))
            .Of(Id).Should().BeEmpty();

    [Fact]
    public void A_trust_naming_another_provider_host_than_the_declared_one_is_reported_at_the_federated_principal()
    {
        var r = Scan.Files(("iam.tf", """
            resource "aws_iam_openid_connect_provider" "eks" {
              url            = "https://oidc.eks.us-east-1.amazonaws.com/id/NEWCLUSTER"
              client_id_list = ["sts.amazonaws.com"]
            }
            resource "aws_iam_role" "api" {
              name = "api"
              assume_role_policy = jsonencode({
                Statement = [{
                  Effect    = "Allow"
                  Principal = { Federated = "arn:aws:iam::305032652600:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/OLDCLUSTER" }
                  Action    = "sts:AssumeRoleWithWebIdentity"
                }]
              })
            }
            """));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(10);
        f.Message.Should().Contain("OLDCLUSTER").And.Contain("NEWCLUSTER");
        f.Related.Should().ContainSingle(x => x.Span.StartLine == 2);
    }
}
