using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.TaskRoleNotAssumableByEcs;

/// <summary>
/// Tests written from the surviving and uncovered mutants of the Stryker run over Rules/Iam (docs/testing.md,
/// "Rules slices"): a role with no trust policy or one known only at apply time, and two task definitions (and
/// both roles of one) sharing a role.
/// </summary>
public class TrustSurvivorTests
{
    private const string Id = "task-role-not-assumable-by-ecs";

    private static string Task(string family, string roles) => $$"""
        resource "aws_ecs_task_definition" "{{family}}" {
          family                = "{{family}}"
        {{roles}}
          container_definitions = jsonencode([{ name = "app", image = "example/app:1" }])
        }
        """;

    [Theory]
    [InlineData("")]                                        // no trust policy in the scan: nothing to judge
    [InlineData("  assume_role_policy = var.trust_policy")] // known at apply time only
    public void A_role_whose_trust_policy_is_not_known_is_not_reported_and_does_not_fail_the_rule(string trust)
    {
        var tf = $$"""
            variable "trust_policy" {
              type = string
            }
            resource "aws_iam_role" "app" {
              name = "app"
            {{trust}}
            }
            {{Task("app", "  execution_role_arn    = aws_iam_role.app.arn")}}
            """;
        var result = Scan.Files(("ecs.tf", tf));
        result.Of(Id).Should().BeEmpty();
        result.Of("internal-error").Should().BeEmpty();
    }

    [Fact]
    public void A_role_shared_by_two_task_definitions_and_both_roles_of_one_is_one_finding_naming_each_use()
    {
        var tf = $$"""
            resource "aws_iam_role" "app" {
              name = "app"
              assume_role_policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
              })
            }
            resource "aws_iam_role" "ok" {
              name = "ok"
              assume_role_policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
              })
            }
            {{Task("api", "  execution_role_arn    = aws_iam_role.app.arn\n  task_role_arn         = aws_iam_role.app.arn")}}
            {{Task("worker", "  execution_role_arn    = aws_iam_role.ok.arn\n  task_role_arn         = aws_iam_role.app.arn")}}
            """;
        var f = Scan.Files(("ecs.tf", tf)).Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().StartWith(
            "role `app` is the execution role of task definition `api`, the task role of task definition `api`, the task role of task definition `worker`, but its trust policy lets only ec2.amazonaws.com assume it");
        f.Related.Select(r => r.Message).Should().Equal(
            "role `app` (aws_iam_role.app)",
            "execution role of task definition `api`",
            "task role of task definition `api`",
            "task role of task definition `worker`");
        f.Fix.Should().StartWith("Trust the ECS tasks service in assume_role_policy of aws_iam_role.app (add it, or replace the principal if nothing else assumes the role):\n")
            .And.EndWith("Conditions on aws:SourceAccount / aws:SourceArn may stay (they protect against the confused deputy problem).");
    }

    private static string Role(string statements) => $$"""
        resource "aws_iam_role" "app" {
          name = "app"
          assume_role_policy = jsonencode({
            Version   = "2012-10-17"
            Statement = [{{statements}}]
          })
        }
        {{Task("app", "  execution_role_arn    = aws_iam_role.app.arn")}}
        """;

    [Fact]
    public void Every_service_that_may_assume_the_role_is_named()
    {
        var f = Scan.Files(("ecs.tf", Role("""{ Effect = "Allow", Principal = { Service = ["ec2.amazonaws.com", "lambda.amazonaws.com"] }, Action = ["sts:AssumeRole", "sts:TagSession"] }""")))
            .Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("its trust policy lets only ec2.amazonaws.com, lambda.amazonaws.com assume it, not ecs-tasks.amazonaws.com");
    }

    [Fact]
    public void A_trust_policy_with_no_statement_is_reported_at_the_policy()
    {
        var tf = Role("");
        var result = Scan.Files(("ecs.tf", tf));
        result.Of("internal-error").Should().BeEmpty();
        var f = result.Of(Id).Should().ContainSingle().Subject;
        f.Message.Should().Contain("lets no principal assume it with sts:AssumeRole");
        f.Span.StartLine.Should().BeInRange(3, 6);
    }
}
