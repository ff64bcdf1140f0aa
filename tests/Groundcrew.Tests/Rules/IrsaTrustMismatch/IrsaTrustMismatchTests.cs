using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.IrsaTrustMismatch;

public class IrsaTrustMismatchTests
{
    private const string Id = "irsa-trust-mismatch";
    private static readonly Lazy<Groundcrew.Check.CheckResult> Fail = new(() => Scan.Folder(Path.Combine(Scan.TestRoot, "Rules", "IrsaTrustMismatch", "fail")));

    private static Finding At(string file, int line) =>
        Fail.Value.Of(Id).Should().ContainSingle(f => f.Span.File == file && f.Span.StartLine == line).Subject;

    [Fact]
    public void A_namespace_and_name_mismatch_names_both_ends()
    {
        var f = At("terraform/irsa.tf", 26);
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("trusts system:serviceaccount:backend:cloudmart-sa but the ServiceAccount that carries its ARN is cloudmart/cloudmart-backend-sa");
        f.Related.Should().ContainSingle().Which.Span.Should().Match<SourceSpan>(s => s.File == "k8s/serviceaccounts.yaml" && s.StartLine == 7);
        f.Fix.Should().Contain("system:serviceaccount:cloudmart:cloudmart-backend-sa");
    }

    [Fact]
    public void A_condition_key_built_from_the_provider_url_is_still_compared()
    {
        var f = At("terraform/irsa.tf", 45);
        f.Message.Should().Contain("system:serviceaccount:ftc-app:billing but").And.Contain("ftc-app/billing-service");
    }

    [Fact]
    public void A_role_without_web_identity_trust_is_reported_at_the_annotation()
    {
        var f = At("k8s/serviceaccounts.yaml", 23);
        f.Message.Should().Contain("reports-ec2-role").And.Contain("sts:AssumeRoleWithWebIdentity");
        f.Related!.Single().Span.File.Should().Be("terraform/irsa.tf");
        f.Fix.Should().Contain("system:serviceaccount:analytics:reports");
    }

    [Fact]
    public void A_wrong_audience_is_reported_at_the_aud_condition()
    {
        var f = At("terraform/irsa.tf", 76);
        f.Message.Should().Contain("sts.amazonaws.com.cn").And.Contain("Incorrect token audience");
    }

    [Fact]
    public void The_terraform_aws_modules_irsa_role_is_read_from_its_inputs_even_with_a_placeholder_account()
    {
        var f = At("terraform/irsa.tf", 92);
        f.Message.Should().Contain("system:serviceaccount:shop:orders-sa").And.Contain("shop/orders");
    }

    [Fact]
    public void When_the_trusted_service_account_exists_the_annotation_of_the_other_one_is_the_end_to_edit()
    {
        var f = At("k8s/serviceaccounts.yaml", 54);
        f.Message.Should().Contain("jobs/worker-v2");
        f.Related!.Single().Span.File.Should().Be("terraform/irsa.tf");
    }

    [Fact]
    public void Nothing_else_is_reported_on_the_failing_fixture() =>
        Fail.Value.Of(Id).Should().HaveCount(9);

    [Fact]
    public void A_terraform_service_account_without_namespace_is_in_default_and_its_role_reference_is_followed()
    {
        var f = At("terraform-sa/main.tf", 15);
        f.Message.Should().Contain("role iam-test trusts system:serviceaccount:kube-system:aws-node but the ServiceAccount that carries its ARN is default/iam-test");
        f.Related.Should().ContainSingle().Which.Span.Should().Match<SourceSpan>(s => s.File == "terraform-sa/main.tf" && s.StartLine == 27);
        f.Fix.Should().Contain("system:serviceaccount:default:iam-test");
    }

    [Fact]
    public void A_terraform_service_account_namespace_from_a_namespace_resource_and_an_arn_with_a_computed_account_are_read()
    {
        var f = At("terraform-sa/main.tf", 52);
        f.Message.Should().Contain("role ledger-irsa trusts system:serviceaccount:payments:ledger").And.Contain("payments-v2/ledger");
        f.Related!.Single().Span.StartLine.Should().Be(67);
    }

    [Fact]
    public void When_the_trusted_service_account_is_declared_in_terraform_the_other_annotation_is_the_end_to_edit()
    {
        var f = At("terraform-sa/main.tf", 105);
        f.Message.Should().Contain("monitoring/exporter-canary");
        f.Related!.Single().Span.StartLine.Should().Be(83);
    }

    [Fact]
    public void A_terraform_service_account_whose_role_name_is_not_known_is_still_compared_through_the_reference()
    {
        var r = Scan.Files(("main.tf", """
            resource "aws_iam_role" "app" {
              name_prefix = "app-"
              assume_role_policy = jsonencode({
                Statement = [{
                  Effect    = "Allow"
                  Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB12" }
                  Action    = "sts:AssumeRoleWithWebIdentity"
                  Condition = { StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/AB12:sub" = "system:serviceaccount:prod:api" } }
                }]
              })
            }

            resource "kubernetes_service_account" "api" {
              metadata {
                name      = "api"
                namespace = "staging"
                annotations = { "eks.amazonaws.com/role-arn" = aws_iam_role.app.arn }
              }
            }
            """));
        r.Of(Id).Should().ContainSingle().Which.Message.Should().Contain("aws_iam_role.app").And.Contain("staging/api");
    }

    private const string DnsRole = """
        resource "aws_iam_role" "dns" {
          name = "external-dns"
          assume_role_policy = jsonencode({
            Statement = [{
              Effect    = "Allow"
              Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB12" }
              Action    = "sts:AssumeRoleWithWebIdentity"
              Condition = { StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/AB12:sub" = "system:serviceaccount:kube-system:external-dns" } }
            }]
          })
        }

        """;

    [Fact]
    public void A_helm_release_that_names_and_annotates_its_service_account_is_compared()
    {
        var r = Scan.Files(("main.tf", DnsRole + """
            resource "helm_release" "dns" {
              name       = "external-dns"
              chart      = "external-dns"
              namespace  = "external-dns"
              set {
                name  = "serviceAccount.name"
                value = "external-dns"
              }
              set {
                name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
                value = aws_iam_role.dns.arn
              }
            }
            """));
        var f = r.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("kube-system:external-dns").And.Contain("external-dns/external-dns");
        f.Related!.Single().Span.StartLine.Should().Be(22, "the set value that carries the role ARN");
    }

    [Fact]
    public void A_helm_release_that_leaves_the_service_account_name_to_the_chart_is_not_compared()
    {
        var r = Scan.Files(("main.tf", DnsRole + """
            resource "helm_release" "dns" {
              name      = "external-dns"
              chart     = "external-dns"
              namespace = "external-dns"
              set {
                name  = "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn"
                value = aws_iam_role.dns.arn
              }
            }
            """));
        r.Of(Id).Should().BeEmpty("the chart decides the ServiceAccount name");
    }

    [Fact]
    public void A_terraform_service_account_covered_by_pod_identity_is_not_compared()
    {
        var r = Scan.Files(("main.tf", """
            resource "aws_iam_role" "app" {
              name = "app"
              assume_role_policy = jsonencode({
                Statement = [{
                  Effect    = "Allow"
                  Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB12" }
                  Action    = "sts:AssumeRoleWithWebIdentity"
                  Condition = { StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/AB12:sub" = "system:serviceaccount:prod:api" } }
                }]
              })
            }

            resource "aws_eks_pod_identity_association" "api" {
              cluster_name    = "main"
              namespace       = "staging"
              service_account = "api"
              role_arn        = aws_iam_role.app.arn
            }

            resource "kubernetes_service_account" "api" {
              metadata {
                name      = "api"
                namespace = "staging"
                annotations = { "eks.amazonaws.com/role-arn" = aws_iam_role.app.arn }
              }
            }
            """));
        r.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_service_account_without_namespace_is_compared_by_name()
    {
        var r = Scan.Files(
            ("sa.yaml", "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/api\n"),
            ("main.tf", """
                resource "aws_iam_role" "api" {
                  name = "api"
                  assume_role_policy = jsonencode({
                    Statement = [{
                      Effect    = "Allow"
                      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB12" }
                      Action    = "sts:AssumeRoleWithWebIdentity"
                      Condition = { StringEquals = { "oidc.eks.eu-west-1.amazonaws.com/id/AB12:sub" = "system:serviceaccount:prod:api" } }
                    }]
                  })
                }
                """));
        r.Of(Id).Should().BeEmpty("the namespace is decided by kubectl -n; the name matches");
    }
}
