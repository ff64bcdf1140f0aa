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
}
