using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.EcsRevisionDropsEnvironment;

public class EcsRevisionDropsEnvironmentTests
{
    private const string Id = "ecs-revision-drops-environment";

    private static string TaskDef(string containerBody) => $"""
        family: billing
        containerDefinitions:
          - name: billing
            image: example/billing:1
        {containerBody}
        """;

    private const string Before = """
            environment:
              - name: PAYMENTS_URL
                value: https://payments.internal
              - name: CURRENCY
                value: EUR
        """;

    [Fact]
    public void Warns_when_a_variable_disappears_and_points_at_the_old_definition()
    {
        using var repo = new GitRepo();
        repo.Write("td.yaml", TaskDef(Before)).Commit();
        repo.Write("td.yaml", TaskDef("""
                environment:
                  - name: CURRENCY
                    value: USD
            """));

        var f = repo.Scan().Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning, "removing a variable is often intentional; the app code decides");
        f.Span.StartLine.Should().Be(5, "the finding points at the environment key");
        f.Message.Should().Contain("PAYMENTS_URL").And.NotContain("CURRENCY");
        f.Related.Should().ContainSingle().Which.Span.Should().Match<SourceSpan>(s => s.File == "td.yaml@HEAD" && s.StartLine == 6);
    }

    [Fact]
    public void Silent_when_the_variable_moved_to_secrets()
    {
        using var repo = new GitRepo();
        repo.Write("td.yaml", TaskDef(Before)).Commit();
        repo.Write("td.yaml", TaskDef("""
                environment:
                  - name: CURRENCY
                    value: EUR
                secrets:
                  - name: PAYMENTS_URL
                    valueFrom: /billing/payments-url
            """));

        repo.Scan().Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Only_a_note_when_the_container_now_reads_environment_files()
    {
        using var repo = new GitRepo();
        repo.Write("td.yaml", TaskDef(Before)).Commit();
        repo.Write("td.yaml", TaskDef("""
                environmentFiles:
                  - type: s3
                    value: arn:aws:s3:::config/billing.env
            """));

        repo.Scan().Of(Id).Should().ContainSingle().Which.Severity.Should().Be(Severity.Note);
    }
}
