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

public class AwsNameTooLongIacTests
{
    private static List<Groundcrew.Core.Finding> Tf(string body) => Scan.Files(("main.tf", body)).Of("aws-name-too-long").ToList();

    [Fact]
    public void An_evaluated_terraform_name_is_reported_with_its_value_and_a_valid_suggestion()
    {
        var f = Tf("locals {\n  prefix = \"agentic-aws-stage3v3\"\n}\nresource \"aws_lb\" \"internal\" {\n  name = \"${local.prefix}-internal-alb\"\n}\n").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(5);
        f.Message.Should().Contain("aws_lb.internal").And.Contain("\"agentic-aws-stage3v3-internal-alb\"").And.Contain("33 characters");
        f.Fix.Should().Contain("agentic-aws-stage3v3-int-alb");
    }

    [Theory]
    [InlineData("resource \"aws_lb\" \"a\" {\n  name = \"${var.env}-an-extremely-long-load-balancer-name\"\n}\nvariable \"env\" {}\n")]
    [InlineData("resource \"aws_lb\" \"a\" {\n  name = \"${aws_vpc.main.id}-an-extremely-long-load-balancer-name\"\n}\n")]
    [InlineData("resource \"aws_lb\" \"a\" {\n  count = var.n\n  name  = \"an-extremely-long-load-balancer-name-${count.index}\"\n}\nvariable \"n\" {}\n")]
    [InlineData("resource \"aws_lb\" \"a\" {\n  name = null\n}\n")]
    public void Unknown_or_unset_names_are_never_reported(string body) => Tf(body).Should().BeEmpty();

    [Theory]
    [InlineData("aws_s3_bucket", "bucket", "192.168.5.4", "IP address")]
    [InlineData("aws_s3_bucket", "bucket", "ab", "3-character minimum")]
    [InlineData("aws_s3_bucket", "bucket", "my..bucket", "two adjacent periods")]
    [InlineData("aws_s3_bucket", "bucket", "assets-s3alias", "reserved suffix")]
    [InlineData("aws_db_instance", "identifier", "1db", "start with a letter")]
    [InlineData("aws_db_instance", "identifier", "db--main", "two consecutive hyphens")]
    [InlineData("aws_security_group", "name", "sg-web", "reserved prefix 'sg-'")]
    [InlineData("aws_sqs_queue", "name", "orders.queue", "characters AWS does not allow")]
    [InlineData("aws_lb_target_group", "name_prefix", "api-tg", null)]
    [InlineData("aws_lb_target_group", "name_prefix", "api-tg-", "6-character limit")]
    [InlineData("aws_eks_cluster", "name", "_cluster", "start with a letter or digit")]
    public void Each_limit_row_applies_its_own_rules(string type, string attribute, string value, string? expected)
    {
        var findings = Tf($"resource \"{type}\" \"x\" {{\n  {attribute} = \"{value}\"\n}}\n");
        if (expected == null) findings.Should().BeEmpty();
        else findings.Should().ContainSingle().Which.Message.Should().Contain(expected);
    }

    [Theory]
    [InlineData("orders.fifo")]
    [InlineData("Orders_Queue-1")]
    public void Valid_sqs_names_pass(string name) => Tf($"resource \"aws_sqs_queue\" \"q\" {{\n  name = \"{name}\"\n}}\n").Should().BeEmpty();

    [Fact]
    public void An_ecs_task_definition_family_with_invalid_characters_is_reported_in_json_too()
    {
        var r = Scan.Files(("td.json", """{"family": "api.v2", "containerDefinitions": [{"name": "api", "image": "nginx:1.27"}]}"""));
        r.Of("aws-name-too-long").Should().ContainSingle().Which.Message.Should().Contain("family").And.Contain("'.'");
    }

    [Fact]
    public void Pulumi_unknown_values_in_a_preview_are_not_reported()
    {
        var r = Scan.Files(("preview.json", """
            {"steps": [{"op": "create", "urn": "urn:pulumi:d::p::aws:lb/loadBalancer:LoadBalancer::w",
              "newState": {"urn": "urn:pulumi:d::p::aws:lb/loadBalancer:LoadBalancer::w", "type": "aws:lb/loadBalancer:LoadBalancer",
                "inputs": {"name": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}}}]}
            """));
        r.Of("aws-name-too-long").Should().BeEmpty();
    }
}
