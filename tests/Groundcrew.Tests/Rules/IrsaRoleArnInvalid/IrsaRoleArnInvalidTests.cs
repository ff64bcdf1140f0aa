using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;
using Rule = Groundcrew.Rules.Values.IrsaRoleArnInvalid;

namespace Groundcrew.Tests.Rules.IrsaRoleArnInvalid;

public class IrsaRoleArnInvalidTests
{
    [Theory]
    [InlineData("arn:aws:iam::932100697590:role/app")]
    [InlineData("arn:aws-us-gov:iam::932100697590:role/app")]
    [InlineData("arn:aws:iam::932100697590:role/team/eks/app-role_1+=,.@-x")]
    public void Valid_role_arns_pass(string arn) => Rule.Problem(arn).Should().BeNull();

    [Theory]
    [InlineData("role/app", "form")]
    [InlineData("arn:azure:iam::932100697590:role/app", "partition")]
    [InlineData("arn:aws:sts::932100697590:role/app", "iam service")]
    [InlineData("arn:aws:iam:eu-west-1:932100697590:role/app", "region")]
    [InlineData("arn:aws:iam::9321006975901:role/app", "12 digits")]
    [InlineData("arn:aws:iam::932100697590:user/app", "not a role")]
    [InlineData("arn:aws:iam::932100697590:role/", "empty")]
    [InlineData("arn:aws:iam::932100697590:role/my app", "characters")]
    [InlineData("arn:aws:iam::932100697590:role/app ", "whitespace")]
    public void Structural_problems_are_named(string arn, string reason) => Rule.Problem(arn).Should().Contain(reason);

    [Fact]
    public void A_name_of_65_characters_is_too_long_and_64_is_fine()
    {
        Rule.Problem("arn:aws:iam::932100697590:role/" + new string('a', 64)).Should().BeNull();
        Rule.Problem("arn:aws:iam::932100697590:role/" + new string('a', 65)).Should().Contain("64");
    }

    [Theory]
    [InlineData("arn:aws:iam::ACCOUNT_ID:role/app")]
    [InlineData("arn:aws:iam::123456789012:role/app")]
    [InlineData("arn:aws:iam::${AWS_ACCOUNT_ID}:role/app")]
    public void Placeholders_are_left_to_placeholder_value(string arn)
    {
        var result = Scan.Files(("sa.yaml", $"""
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: app
              annotations:
                eks.amazonaws.com/role-arn: "{arn}"
            """));
        result.Of("irsa-role-arn-invalid").Should().BeEmpty();
        result.Of("placeholder-value").Should().ContainSingle();
    }

    [Fact]
    public void Only_service_accounts_are_checked()
    {
        var result = Scan.Files(("cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: x
              annotations:
                eks.amazonaws.com/role-arn: not-an-arn
            """));
        result.Of("irsa-role-arn-invalid").Should().BeEmpty();
    }

    [Theory]
    [InlineData("aws_iam_role.app.name", "aws_iam_role.app", "the role's name")]
    [InlineData("aws_iam_role.app[0].unique_id", "aws_iam_role.app[0]", "unique id")]
    [InlineData("module.iam.aws_iam_role.app.id", "module.iam.aws_iam_role.app", "the role's name")]
    public void A_terraform_service_account_annotated_with_a_role_name_is_reported_at_the_annotation_with_the_arn_fix(string expr, string role, string what)
    {
        var result = Scan.Files(("main.tf", $$"""
            resource "aws_iam_role" "app" {
              name               = "app-role"
              assume_role_policy = "{}"
            }
            resource "kubernetes_service_account" "api" {
              metadata {
                name = "api"
                annotations = {
                  "eks.amazonaws.com/audience" = "sts.amazonaws.com"
                  "eks.amazonaws.com/role-arn" = {{expr}}
                }
              }
            }
            """));
        var f = result.Of("irsa-role-arn-invalid").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(10);
        f.Message.Should().Contain("ServiceAccount api").And.Contain(what).And.Contain("not its ARN");
        f.Fix.Should().Contain(role + ".arn");
    }

    [Theory]
    [InlineData("aws_iam_role.app.arn")]
    [InlineData("module.irsa.iam_role_arn")]
    [InlineData("var.role_arn")]
    [InlineData("\"arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/app-role\"")]
    public void A_terraform_arn_reference_or_an_unknown_value_stays_silent(string expr)
    {
        var result = Scan.Files(("main.tf", $$"""
            resource "aws_iam_role" "app" {
              name               = "app-role"
              assume_role_policy = "{}"
            }
            resource "kubernetes_service_account_v1" "api" {
              metadata {
                name        = "api"
                annotations = { "eks.amazonaws.com/role-arn" = {{expr}} }
              }
            }
            """));
        result.Of("irsa-role-arn-invalid").Should().BeEmpty();
    }
}
