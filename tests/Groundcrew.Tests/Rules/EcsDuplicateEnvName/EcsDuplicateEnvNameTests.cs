using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.EcsDuplicateEnvName;

public class EcsDuplicateEnvNameTests
{
    private const string Id = "ecs-duplicate-env-name";

    private static string TaskDef(string body) => $"""
        family: app
        containerDefinitions:
          - name: app
            image: example/app:1
        {body}
        """;

    [Fact]
    public void Environment_name_twice_with_different_values_is_a_warning_that_never_prints_the_values()
    {
        var result = Scan.Files(("td.yaml", TaskDef("""
                environment:
                  - name: FEATURE_FLAGS
                    value: alpha-value-one
                  - name: FEATURE_FLAGS
                    value: beta-value-two
            """)));

        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning, "ECS accepts duplicate environment names; one value is silently ignored");
        f.Span.StartLine.Should().Be(8, "the second definition is reported");
        f.Related.Should().ContainSingle().Which.Span.StartLine.Should().Be(6);
        f.Message.Should().NotContain("alpha-value-one").And.NotContain("beta-value-two");
    }

    [Fact]
    public void Same_name_and_value_twice_and_the_same_name_in_two_containers_are_not_reported()
    {
        var result = Scan.Files(("td.yaml", """
            family: app
            containerDefinitions:
              - name: app
                image: example/app:1
                environment:
                  - { name: LOG_LEVEL, value: info }
                  - { name: LOG_LEVEL, value: info }
                secrets:
                  - { name: DB_PASSWORD, valueFrom: /app/db }
              - name: migrate
                image: example/app:1
                environment:
                  - { name: DB_PASSWORD_FILE, value: /run/db }
                secrets:
                  - { name: DB_PASSWORD, valueFrom: /app/db }
            """));

        result.Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Secret_twice_and_secret_shadowing_an_environment_variable_are_errors()
    {
        var result = Scan.Files(("td.yaml", TaskDef("""
                environment:
                  - { name: DB_USER, value: app }
                secrets:
                  - { name: DB_USER, valueFrom: /app/db-user }
                  - { name: DB_PASSWORD, valueFrom: /app/db-password }
                  - { name: DB_PASSWORD, valueFrom: /app/db-password-v2 }
            """)));

        var findings = result.Of(Id).ToList();
        findings.Should().HaveCount(2).And.OnlyContain(f => f.Severity == Severity.Error);
        findings.Should().Contain(f => f.Span.StartLine == 8 && f.Message.Contains("DB_USER") && f.Message.Contains("both"));
        findings.Should().Contain(f => f.Span.StartLine == 10 && f.Message.Contains("DB_PASSWORD") && f.Message.Contains("twice"));
    }

    [Fact]
    public void Odd_shapes_do_not_crash()
    {
        var result = Scan.Files(("td.json", """
            { "family": "x", "containerDefinitions": [
              { "name": "a", "environment": "FOO=bar", "secrets": { "name": "X" } },
              { "name": "b", "environment": [ null, 3, { "name": null }, { "name": "A" }, { "name": "A" } ], "secrets": [ "A", { "valueFrom": "/x" } ] },
              "not a container"
            ] }
            """));

        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        result.Of(Id).Should().BeEmpty("entries without values are not compared");
    }
}
