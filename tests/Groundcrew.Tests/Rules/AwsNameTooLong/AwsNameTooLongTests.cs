using FluentAssertions;
using Groundcrew.Rules.Kubernetes;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.AwsNameTooLong;

public class AwsNameTooLongTests
{
    private static List<Groundcrew.Core.Finding> Run(string name) => Scan.Files(("i.yaml", $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          annotations:
            alb.ingress.kubernetes.io/load-balancer-name: "{name}"
        spec:
          ingressClassName: alb
        """)).Of("aws-name-too-long").ToList();

    [Fact]
    public void The_incident_name_is_reported_with_limit_length_and_a_valid_shorter_name()
    {
        var f = Run("agentic-aws-stage3v3-internal-alb").Should().ContainSingle().Subject;
        f.Message.Should().Contain("33 characters").And.Contain("32-character limit");
        var suggestion = System.Text.RegularExpressions.Regex.Match(f.Fix!, "\"([^\"]+)\"").Groups[1].Value;
        suggestion.Length.Should().BeInRange(1, 32);
        Run(suggestion).Should().BeEmpty("the suggested name must itself be valid");
    }

    [Theory]
    [InlineData("internal-web", "reserved prefix")]
    [InlineData("-web", "starts or ends")]
    [InlineData("web-", "starts or ends")]
    [InlineData("my_web", "characters AWS does not allow")]
    public void Invalid_characters_edges_and_reserved_prefixes_are_reported(string name, string expected) =>
        Run(name).Should().ContainSingle().Which.Message.Should().Contain(expected);

    [Theory]
    [InlineData("exactly-thirty-two-characters-ok")]
    [InlineData("web-Internal-1")]
    [InlineData("${LB_NAME}")]
    [InlineData("")]
    public void Valid_names_and_placeholders_pass(string name) => Run(name).Should().BeEmpty();

    [Fact]
    public void Data_rows_carry_sources_and_more_resource_types_can_be_added()
    {
        var (limits, sites) = Groundcrew.Rules.Kubernetes.AwsNameTooLong.Data.Value;
        limits.Should().Contain(l => l.Id == "elbv2-load-balancer" && l.MaxLength == 32);
        limits.Should().Contain(l => l.Id == "iam-role" && l.MaxLength == 64);
        limits.Should().OnlyContain(l => l.Source.Contains("https://docs.aws.amazon.com/"));
        sites.Should().Contain(s => s.Kind == "Service" && s.Annotation == "service.beta.kubernetes.io/aws-load-balancer-name");
    }
}
