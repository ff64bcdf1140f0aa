using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.EcsRevisionDropsSecrets;

public class EcsRevisionDropsSecretsTests
{
    private const string Id = "ecs-revision-drops-secrets";

    private static string TaskDef(string family = "api", string containers = "") => $$"""
        {
          "family": "{{family}}",
          "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
          "containerDefinitions": [
        {{containers}}
          ]
        }
        """;

    private const string WithSecrets = """
            {
              "name": "api",
              "image": "example/api:1",
              "secrets": [
                { "name": "DATABASE_PASSWORD", "valueFrom": "/api/db-password" },
                { "name": "API_TOKEN", "valueFrom": "/api/token" }
              ]
            }
        """;

    private const string WithOneSecret = """
            {
              "name": "api",
              "image": "example/api:2",
              "secrets": [
                { "name": "DATABASE_PASSWORD", "valueFrom": "/api/db-password" }
              ]
            }
        """;

    private const string WithoutSecrets = """
            {
              "name": "api",
              "image": "example/api:2"
            }
        """;

    [Fact]
    public void Fires_when_the_new_revision_drops_the_whole_secrets_block_and_points_back_at_the_old_entries()
    {
        using var repo = new GitRepo();
        repo.Write("ecs/taskdef.json", TaskDef(containers: WithSecrets)).Commit("revision 130");
        repo.Write("ecs/taskdef.json", TaskDef(containers: WithoutSecrets));

        var result = repo.Scan("HEAD");

        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.File.Should().Be("ecs/taskdef.json");
        f.Span.StartLine.Should().Be(6, "the finding points at the container's name in the current file");
        f.Message.Should().Contain("`api`").And.Contain("DATABASE_PASSWORD").And.Contain("API_TOKEN").And.Contain("HEAD");
        f.Related.Should().HaveCount(2);
        f.Related![0].Span.File.Should().Be("ecs/taskdef.json@HEAD", "the runner names the previous file path@REV");
        f.Related[0].Span.StartLine.Should().Be(9, "the old DATABASE_PASSWORD entry sat on line 9 at the base revision");
        f.Related[0].Message.Should().Contain("DATABASE_PASSWORD");
    }

    [Fact]
    public void Fires_for_one_dropped_name_and_names_the_revision_the_user_gave()
    {
        using var repo = new GitRepo();
        repo.Write("taskdef.json", TaskDef(containers: WithSecrets)).Commit("v1");
        repo.Git("tag", "rev-130");
        repo.Write("taskdef.json", TaskDef(containers: WithOneSecret)).Commit("v2");

        var f = repo.Scan("rev-130").Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("API_TOKEN").And.NotContain("DATABASE_PASSWORD").And.Contain("rev-130");
        f.Related.Should().ContainSingle().Which.Span.File.Should().Be("taskdef.json@rev-130");
    }

    [Fact]
    public void Silent_when_secrets_are_kept_reordered_or_added()
    {
        using var repo = new GitRepo();
        repo.Write("taskdef.json", TaskDef(containers: WithSecrets)).Commit("v1");
        repo.Write("taskdef.json", TaskDef(containers: """
                {
                  "name": "api",
                  "image": "example/api:2",
                  "secrets": [
                    { "name": "API_TOKEN", "valueFrom": "/api/token" },
                    { "name": "SENTRY_DSN", "valueFrom": "/api/sentry" },
                    { "name": "DATABASE_PASSWORD", "valueFrom": "/api/db-password-rotated" }
                  ]
                }
            """));

        repo.Scan("HEAD").Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_secret_moved_to_environment_is_still_set_and_not_reported()
    {
        using var repo = new GitRepo();
        repo.Write("taskdef.json", TaskDef(containers: WithSecrets)).Commit("v1");
        repo.Write("taskdef.json", TaskDef(containers: """
                {
                  "name": "api",
                  "image": "example/api:2",
                  "environment": [{ "name": "API_TOKEN", "value": "public-demo" }],
                  "secrets": [{ "name": "DATABASE_PASSWORD", "valueFrom": "/api/db-password" }]
                }
            """));

        repo.Scan("HEAD").Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void With_environment_files_the_drop_is_only_a_warning()
    {
        using var repo = new GitRepo();
        repo.Write("taskdef.json", TaskDef(containers: WithSecrets)).Commit("v1");
        repo.Write("taskdef.json", TaskDef(containers: """
                {
                  "name": "api",
                  "image": "example/api:2",
                  "environmentFiles": [{ "type": "s3", "value": "arn:aws:s3:::config-bucket/api.env" }]
                }
            """));

        var f = repo.Scan("HEAD").Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Warning);
        f.Message.Should().Contain("environmentFiles");
    }

    [Fact]
    public void A_file_that_did_not_exist_at_the_base_revision_gives_a_notice_and_no_finding()
    {
        using var repo = new GitRepo();
        repo.Write("README.md", "hello").Commit("initial");
        repo.Write("taskdef.json", TaskDef(containers: WithoutSecrets));

        var result = repo.Scan("HEAD");

        result.Of(Id).Should().BeEmpty();
        result.Notices.Should().Contain(n => n.Contains("--base HEAD") && n.Contains("taskdef.json"));
    }

    [Fact]
    public void A_renamed_family_or_container_is_a_new_thing_and_not_compared()
    {
        using var repo = new GitRepo();
        repo.Write("a.json", TaskDef(containers: WithSecrets)).Write("b.json", TaskDef(containers: WithSecrets)).Commit("v1");
        repo.Write("a.json", TaskDef(family: "api-v2", containers: WithoutSecrets));
        repo.Write("b.json", TaskDef(containers: WithoutSecrets.Replace("\"api\"", "\"api-renamed\"")));

        repo.Scan("HEAD").Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Scanning_a_subfolder_of_the_repository_compares_the_right_files()
    {
        using var repo = new GitRepo();
        repo.Write("deploy/ecs/taskdef.json", TaskDef(containers: WithSecrets)).Commit("v1");
        repo.Write("deploy/ecs/taskdef.json", TaskDef(containers: WithoutSecrets));

        var result = Scan.Folder(Path.Combine(repo.Path, "deploy"), baseRevision: "HEAD");

        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Span.File.Should().Be("ecs/taskdef.json");
        f.Related![0].Span.File.Should().Be("ecs/taskdef.json@HEAD");
    }

    [Fact]
    public void Without_base_nothing_is_compared()
    {
        using var repo = new GitRepo();
        repo.Write("taskdef.json", TaskDef(containers: WithSecrets)).Commit("v1");
        repo.Write("taskdef.json", TaskDef(containers: WithoutSecrets));

        repo.Scan(baseRevision: null).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void A_malformed_or_oddly_typed_base_revision_does_not_crash()
    {
        using var repo = new GitRepo();
        repo.Write("broken.json", "{ \"family\": \"api\", \"containerDefinitions\": [ { \"name\": ").Commit("v1");
        repo.Write("odd.yaml", """
            family: odd
            containerDefinitions:
              - name: api
                secrets: "not a list"
              - just a string
              - name: worker
                secrets:
                  - 42
                  - name: [not, a, string]
                    valueFrom: /x
            """).Commit("v1");
        repo.Write("broken.json", TaskDef(containers: WithoutSecrets));
        repo.Write("odd.yaml", "family: odd\ncontainerDefinitions:\n  - name: api\n  - name: worker\n");

        var result = repo.Scan("HEAD");

        result.Findings.Should().NotContain(f => f.RuleId == "internal-error");
        result.Of(Id).Should().BeEmpty();
    }
}
