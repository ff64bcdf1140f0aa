using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.TaskRoleNotAssumableByEcs;

/// <summary>
/// Tests written from the Stryker run over Rules/Iam (docs/testing.md, "Rules slices"): the paths of the report no
/// test reached: a trust that lets nobody assume the role, the task role (not only the execution role), and a role
/// declared outside Terraform (the fix is then JSON).
/// </summary>
public class TrustReportMutationTests
{
    private const string Id = "task-role-not-assumable-by-ecs";

    [Fact]
    public void A_trust_that_lets_no_principal_assume_the_role_is_reported_at_its_first_principal()
    {
        var tf = """
            resource "aws_iam_role" "app" {
              name = "app"
              assume_role_policy = jsonencode({
                Version   = "2012-10-17"
                Statement = [
                  { Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:TagSession" }
                ]
              })
            }

            resource "aws_ecs_task_definition" "app" {
              family                = "app"
              task_role_arn         = aws_iam_role.app.arn
              container_definitions = jsonencode([{ name = "app", image = "example/app:1" }])
            }
            """;
        var f = Scan.Files(("ecs.tf", tf)).Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(6);
        f.Message.Should().Contain("role `app` is the task role of task definition `app`")
            .And.Contain("its trust policy lets no principal assume it with sts:AssumeRole").And.NotContain("lets only");
        f.Related.Should().Contain(r => r.Span.StartLine == 13 && r.Message == "task role of task definition `app`");
    }

    [Fact]
    public void A_CloudFormation_role_trusted_by_another_service_gets_a_JSON_fix()
    {
        var template = """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              AppRole:
                Type: AWS::IAM::Role
                Properties:
                  RoleName: app-execution
                  AssumeRolePolicyDocument:
                    Version: "2012-10-17"
                    Statement:
                      - Effect: Allow
                        Principal: { Service: lambda.amazonaws.com }
                        Action: sts:AssumeRole
              Task:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  Family: app
                  ExecutionRoleArn: !GetAtt AppRole.Arn
                  ContainerDefinitions:
                    - Name: app
                      Image: example/app:1
            """;
        var f = Scan.Files(("template.yaml", template)).Of(Id).Should().ContainSingle().Subject;
        f.Severity.Should().Be(Severity.Error);
        f.Message.Should().Contain("role `app-execution` is the execution role of task definition `app`").And.Contain("lets only lambda.amazonaws.com assume it");
        f.Fix.Should().StartWith("Trust the ECS tasks service in the trust policy of `app-execution`:\n")
            .And.Contain("{ \"Effect\": \"Allow\", \"Principal\": { \"Service\": \"ecs-tasks.amazonaws.com\" }, \"Action\": \"sts:AssumeRole\" }");
        f.Related.Should().Contain(r => r.Message.Contains("role `app-execution` (AppRole)"));
    }
}
