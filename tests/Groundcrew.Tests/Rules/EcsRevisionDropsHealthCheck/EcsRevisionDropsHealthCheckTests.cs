using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.EcsRevisionDropsHealthCheck;

public class EcsRevisionDropsHealthCheckTests
{
    private const string Id = "ecs-revision-drops-health-check";

    private const string WithCheck = """
        family: web
        containerDefinitions:
          - name: app
            image: example/app:1
            healthCheck:
              command: [CMD-SHELL, "curl -f http://localhost/ || exit 1"]
          - name: proxy
            image: example/proxy:1
            dependsOn:
              - containerName: app
                condition: HEALTHY
        """;

    [Fact]
    public void Warns_and_names_the_containers_that_wait_for_it_to_be_healthy()
    {
        using var repo = new GitRepo();
        repo.Write("web.yaml", WithCheck).Commit();
        repo.Write("web.yaml", WithCheck.Replace("""
                healthCheck:
                  command: [CMD-SHELL, "curl -f http://localhost/ || exit 1"]

            """, ""));

        var f = repo.Scan().Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Span.StartLine.Should().Be(3);
        f.Message.Should().Contain("`app`").And.Contain("`proxy`").And.Contain("HEALTHY");
        f.Related.Should().ContainSingle().Which.Span.File.Should().Be("web.yaml@HEAD");
    }

    [Fact]
    public void Silent_when_the_check_is_changed_rather_than_removed_or_never_existed()
    {
        using var repo = new GitRepo();
        repo.Write("web.yaml", WithCheck).Write("plain.yaml", "family: plain\ncontainerDefinitions:\n  - name: a\n    image: x\n").Commit();
        repo.Write("web.yaml", WithCheck.Replace("curl -f http://localhost/", "wget -q http://localhost/healthz"));
        repo.Write("plain.yaml", "family: plain\ncontainerDefinitions:\n  - name: a\n    image: y\n");

        repo.Scan().Of(Id).Should().BeEmpty();
    }
}
