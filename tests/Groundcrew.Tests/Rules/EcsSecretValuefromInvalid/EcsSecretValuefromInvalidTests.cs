using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.EcsSecretValuefromInvalid;

public class EcsSecretValuefromInvalidTests
{
    private const string Id = "ecs-secret-valuefrom-invalid";

    private static List<Groundcrew.Core.Finding> Check(string valueFrom, out Groundcrew.Check.CheckResult result)
    {
        result = Scan.Files(("td.json", $$"""
            {
              "family": "app",
              "containerDefinitions": [
                {
                  "name": "app",
                  "image": "example/app:1",
                  "secrets": [{ "name": "VALUE", "valueFrom": {{System.Text.Json.JsonSerializer.Serialize(valueFrom)}} }]
                }
              ]
            }
            """));
        return result.Of(Id).ToList();
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db")] // partial ARN: GetSecretValue matches it
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db:password::")] // partial ARN with a JSON key
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf::AWSPREVIOUS:")] // empty key: whole secret, older version
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password:AWSCURRENT:a1b2c3d4-5678")]
    [InlineData("arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf")]
    [InlineData("arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password")]
    [InlineData("arn:aws:ssm:us-east-1:123456789012:parameter/db_password")]
    [InlineData("db_password")]
    [InlineData("/prod/db/password")]
    [InlineData("/aws/reference/secretsmanager/prod/db")]
    [InlineData("/prod/db/password:3")] // GetParameters version selector
    [InlineData("arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password:current")] // label selector
    [InlineData("arn:aws:secretsmanager:${AWS_REGION}:${ACCOUNT}:secret:${NAME}:password")] // templated: not judged
    [InlineData("{{resolve:secretsmanager:prod/db}}")]
    [InlineData("<SECRET_ARN>")]
    [InlineData("arn:aws:ssm:\\(env.AWS_REGION):\\(env.AWS_ACCOUNT_ID):parameter/\\(env.PREFIX)/app/key")] // jq string interpolation
    [InlineData("arn:aws:secretsmanager:...")] // elided in an example
    [InlineData("%DB_SECRET_ARN%")]
    [InlineData("@DB_SECRET_ARN@")]
    public void Accepts_every_form_ECS_resolves(string valueFrom)
    {
        Check(valueFrom, out var result).Should().BeEmpty();
        result.Redactor.Scrub(valueFrom).Should().Be(valueFrom, "a valid reference is not a secret and stays readable in every output");
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password", "JSON key")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password:AWSCURRENT", "exactly 3")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:a:b:c:d", "at most 3")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:prod/db-AbCdEf", "secret:NAME")]
    [InlineData("arn:aws:secretsmanager:us-east-1:123456789012:secret:", "empty secret name")]
    [InlineData("arn:aws:secretmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", "service `secretmanager`")]
    [InlineData("arn:aws:s3:::bucket/app.env", "service `s3`")]
    [InlineData("arn:aws:ssm:us-east-1:123456789012:parameter:db", "parameter/")]
    [InlineData("arn:aws:ssm:us-east-1:123456789012:parameter/", "empty parameter name")]
    [InlineData("arn:aws:ssm:us-east-1", "six")]
    [InlineData("prod/db/password", "leading `/`")]
    [InlineData("secretsmanager:prod/db", "full ARN")]
    [InlineData("/prod/db:3:4", "neither an ARN nor a valid SSM parameter name")]
    public void Reports_what_ECS_cannot_resolve(string valueFrom, string explanation)
    {
        var f = Check(valueFrom, out _).Should().ContainSingle().Subject;
        f.Message.Should().Contain(explanation).And.Contain("`VALUE`").And.Contain("`app`");
        f.Span.StartLine.Should().Be(7, "the finding points at the valueFrom");
    }

    [Fact]
    public void A_pasted_secret_value_is_reported_without_being_printed_and_is_registered_with_the_redactor()
    {
        const string pasted = "hunter2 correct horse battery";
        var f = Check(pasted, out var result).Should().ContainSingle().Subject;
        f.Message.Should().NotContain(pasted).And.Contain("29 characters");
        result.Redactor.Scrub($"value {pasted}").Should().NotContain(pasted);
    }

    [Fact]
    public void Missing_value_from_and_log_secret_options_are_checked_too()
    {
        var result = Scan.Files(("td.yaml", """
            family: app
            containerDefinitions:
              - name: app
                image: example/app:1
                secrets:
                  - name: NO_SOURCE
                logConfiguration:
                  logDriver: splunk
                  secretOptions:
                    - name: splunk-token
                      valueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:splunk-AbCdEf:token"
              - not a container
              - name: odd
                secrets: [42, null, { name: X, valueFrom: [a, b] }]
            """));

        var findings = result.Of(Id).ToList();
        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        findings.Should().HaveCount(2);
        findings.Should().Contain(f => f.Span.StartLine == 6 && f.Message.Contains("no `valueFrom`"));
        findings.Should().Contain(f => f.Span.StartLine == 11 && f.Message.Contains("JSON key"));
    }
}
