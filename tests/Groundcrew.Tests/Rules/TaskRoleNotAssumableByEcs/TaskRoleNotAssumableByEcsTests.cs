using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.TaskRoleNotAssumableByEcs;

public class TaskRoleNotAssumableByEcsTests
{
    private const string Id = "task-role-not-assumable-by-ecs";

    private static List<Finding> Check(string trustStatements) => Scan.Files(("ecs.tf", $$"""
        resource "aws_iam_role" "exec" {
          name = "exec"
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [
        {{trustStatements}}
            ]
          })
        }

        resource "aws_ecs_task_definition" "app" {
          family             = "app"
          execution_role_arn = aws_iam_role.exec.arn
          container_definitions = jsonencode([{ name = "app", image = "example/app:1" }])
        }
        """)).Of(Id).ToList();

    [Theory]
    [InlineData("""{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }""")]
    [InlineData("""{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole", Condition = { StringEquals = { "aws:SourceAccount" = "111122223333" } } }""")]
    [InlineData("""{ Effect = "Allow", Principal = { Service = ["ec2.amazonaws.com", "ecs-tasks.amazonaws.com"] }, Action = ["sts:AssumeRole", "sts:TagSession"] }""")]
    [InlineData("""{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:*" }""")]
    [InlineData("""{ Effect = "Allow", Principal = { Service = var.services }, Action = "sts:AssumeRole" }""")] // known at apply time only
    public void A_trust_that_lets_or_may_let_ECS_assume_the_role_is_not_reported(string statement) =>
        Check(statement).Should().BeEmpty();

    [Fact]
    public void A_trust_naming_another_service_is_reported_at_that_principal()
    {
        var f = Check("""      { Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }""").Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Span.StartLine.Should().Be(6);
        f.Message.Should().Contain("`exec`").And.Contain("execution role of task definition `app`").And.Contain("ec2.amazonaws.com");
        f.Related.Should().Contain(r => r.Span.StartLine == 13 && r.Message.Contains("execution role"));
        f.Fix.Should().Contain("Principal = { Service = \"ecs-tasks.amazonaws.com\" }");
    }

    [Fact]
    public void An_explicit_deny_of_ECS_is_reported_at_the_deny()
    {
        var f = Check("""
                  { Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" },
                  { Effect = "Deny", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }
            """).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(7);
        f.Message.Should().Contain("denies");
    }

    [Fact]
    public void A_role_used_by_several_task_definitions_is_reported_once_with_each_use()
    {
        var result = GitRepo.ScanFixture(Path.Combine(Scan.TestRoot, "Rules", "TaskRoleNotAssumableByEcs", "fail"));
        var f = result.Of(Id).Should().ContainSingle(x => x.Message.Contains("`api-execution`")).Subject;
        f.Related.Should().Contain(r => r.Span.File == "ecs.tf").And.Contain(r => r.Span.File == "worker.json");
        f.Message.Should().Contain("`api`").And.Contain("`worker`");
    }
}
