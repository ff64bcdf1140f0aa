using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.EcsRevisionDropsExecutionRole;

public class EcsRevisionDropsExecutionRoleTests
{
    private const string Id = "ecs-revision-drops-execution-role";

    private static string TaskDef(bool role, string compat, string image, string extra = "") => $$"""
        {
          "family": "svc",
          {{(role ? "\"executionRoleArn\": \"arn:aws:iam::123456789012:role/exec\"," : "")}}
          "requiresCompatibilities": ["{{compat}}"],
          "containerDefinitions": [
            { "name": "svc", "image": "{{image}}"{{extra}} }
          ]
        }
        """;

    private static IEnumerable<Groundcrew.Core.Finding> Run(string before, string after)
    {
        using var repo = new GitRepo();
        repo.Write("td.json", before).Commit();
        repo.Write("td.json", after);
        return repo.Scan().Of(Id).ToList();
    }

    private const string PrivateEcr = "123456789012.dkr.ecr.us-east-1.amazonaws.com/svc:1";
    private const string Public = "public.ecr.aws/nginx/nginx:1.27";

    [Fact]
    public void Fires_when_containers_still_read_secrets()
    {
        const string secrets = ", \"secrets\": [{ \"name\": \"A\", \"valueFrom\": \"/a\" }]";
        var f = Run(TaskDef(true, "EC2", Public, secrets), TaskDef(false, "EC2", Public, secrets)).Should().ContainSingle().Subject;
        f.Message.Should().Contain("must also specify a value for 'executionRoleArn'");
        f.Related.Should().ContainSingle().Which.Span.File.Should().Be("td.json@HEAD");
    }

    [Fact]
    public void Fires_on_Fargate_with_a_private_ECR_image()
    {
        Run(TaskDef(true, "FARGATE", PrivateEcr), TaskDef(false, "FARGATE", PrivateEcr))
            .Should().ContainSingle().Which.Message.Should().Contain("ECR images");
    }

    [Fact]
    public void Fires_on_Fargate_with_awslogs()
    {
        const string logs = ", \"logConfiguration\": { \"logDriver\": \"awslogs\", \"options\": {} }";
        Run(TaskDef(true, "FARGATE", Public, logs), TaskDef(false, "FARGATE", Public, logs))
            .Should().ContainSingle().Which.Message.Should().Contain("awslogs");
    }

    [Fact]
    public void Silent_when_nothing_needs_the_role_any_more()
    {
        Run(TaskDef(true, "FARGATE", Public), TaskDef(false, "FARGATE", Public)).Should().BeEmpty();
        // On EC2 the container instance role pulls from ECR and writes awslogs.
        const string logs = ", \"logConfiguration\": { \"logDriver\": \"awslogs\", \"options\": {} }";
        Run(TaskDef(true, "EC2", PrivateEcr, logs), TaskDef(false, "EC2", PrivateEcr, logs)).Should().BeEmpty();
    }

    [Fact]
    public void Silent_when_the_role_is_kept_or_changed()
    {
        Run(TaskDef(true, "FARGATE", PrivateEcr), TaskDef(true, "FARGATE", PrivateEcr).Replace("role/exec", "role/exec-v2")).Should().BeEmpty();
    }
}
