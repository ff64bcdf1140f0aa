using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Iam;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Iam;

/// <summary>The role index gathers each role's trust and every policy attached to it in the code, so rules can ask the evaluator.</summary>
public class IamRoleIndexTests
{
    private const string Secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf";

    private const string Roles = """
        resource "aws_iam_role" "exec" {
          name = "api-exec"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { Service = "ecs-tasks.amazonaws.com" }
              Action    = "sts:AssumeRole"
            }]
          })
          inline_policy {
            name = "logs"
            policy = jsonencode({
              Version = "2012-10-17"
              Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "*" }]
            })
          }
        }

        resource "aws_iam_role_policy_attachment" "exec_managed" {
          role       = aws_iam_role.exec.name
          policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
        }

        data "aws_iam_policy_document" "secrets" {
          statement {
            sid       = "ReadDb"
            actions   = ["secretsmanager:GetSecretValue"]
            resources = ["arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-*"]
          }
        }

        resource "aws_iam_policy" "secrets" {
          name   = "api-secrets"
          policy = data.aws_iam_policy_document.secrets.json
        }

        resource "aws_iam_role_policy_attachment" "exec_secrets" {
          role       = aws_iam_role.exec.id
          policy_arn = aws_iam_policy.secrets.arn
        }

        resource "aws_iam_role" "bare" {
          name = "bare"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
          })
        }

        resource "aws_iam_role_policy" "bare_ssm" {
          role = aws_iam_role.bare.id
          policy = <<EOF
        {
          "Version": "2012-10-17",
          "Statement": [{ "Effect": "Allow", "Action": "ssm:GetParameters", "Resource": "*" }]
        }
        EOF
        }
        """;

    [Fact]
    public void A_role_collects_inline_managed_and_customer_policies_attached_by_reference()
    {
        var r = Scan.Files(("iam.tf", Roles));
        var roles = r.Model.IamRoles;
        roles.HasUnresolvedAttachments.Should().BeFalse();
        var exec = roles.FindByArn("arn:aws:iam::111122223333:role/api-exec")!;
        exec.Should().NotBeNull();
        exec.Policies.Select(p => p.Via).Should().BeEquivalentTo(
            "inline_policy",
            "AWS managed policy AmazonECSTaskExecutionRolePolicy via aws_iam_role_policy_attachment.exec_managed",
            "aws_iam_policy.secrets via aws_iam_role_policy_attachment.exec_secrets");
        var decision = IamEvaluator.Evaluate(exec.IdentityPolicies, "secretsmanager:GetSecretValue", Secret);
        decision.Outcome.Should().Be(Outcome.Allowed);
        decision.DecidingStatements.Single().Span.Should().Match<SourceSpan>(s => s.File == "iam.tf" && s.StartLine == 26, "the statement block of the policy document");
        IamEvaluator.Evaluate(exec.IdentityPolicies, "ecr:GetAuthorizationToken", "*").Outcome.Should().Be(Outcome.Allowed, "from the managed policy");
    }

    [Fact]
    public void Trust_policies_are_read_with_their_lines()
    {
        var r = Scan.Files(("iam.tf", Roles));
        var exec = r.Model.IamRoles.FindByName("api-exec")!;
        TrustPolicy.AllowsService(exec.Trust!, "ecs-tasks.amazonaws.com").Outcome.Should().Be(Outcome.Allowed);
        var bare = r.Model.IamRoles.FindByName("bare")!;
        TrustPolicy.AllowsService(bare.Trust!, "ecs-tasks.amazonaws.com").Outcome.Should().Be(Outcome.ImplicitDeny);
        bare.Trust!.Statements.Single().Span.StartLine.Should().Be(47);
    }

    [Fact]
    public void A_heredoc_role_policy_attached_by_id_reference_counts_and_other_roles_get_nothing_from_it()
    {
        var r = Scan.Files(("iam.tf", Roles));
        var bare = r.Model.IamRoles.FindByName("bare")!;
        bare.Policies.Should().ContainSingle().Which.Via.Should().Be("aws_iam_role_policy.bare_ssm");
        var ssm = IamEvaluator.Evaluate(bare.IdentityPolicies, "ssm:GetParameters", "arn:aws:ssm:us-east-1:1:parameter/x");
        ssm.Outcome.Should().Be(Outcome.Allowed);
        ssm.DecidingStatements.Single().Span.StartLine.Should().Be(56, "heredoc JSON keeps its own lines");
        IamEvaluator.Evaluate(bare.IdentityPolicies, "secretsmanager:GetSecretValue", Secret).Outcome.Should().Be(Outcome.ImplicitDeny);
    }

    [Fact]
    public void Task_definition_role_references_resolve_to_the_role()
    {
        var r = Scan.Files(("iam.tf", Roles), ("ecs.tf", """
            resource "aws_ecs_task_definition" "api" {
              family             = "api"
              execution_role_arn = aws_iam_role.exec.arn
              container_definitions = jsonencode([{ name = "api", image = "nginx:1.27" }])
            }
            """));
        r.Model.IamRoles.Find(r.Model.TaskDefinitions.Single().ExecutionRoleArn ?? r.Model.TaskDefinitions.Single().Body["executionRoleArn"])!
            .Name.Should().Be("api-exec");
    }

    [Fact]
    public void An_attachment_to_a_role_we_cannot_identify_makes_the_index_say_so()
    {
        var r = Scan.Files(("iam.tf", Roles + """

            variable "role_name" {}
            resource "aws_iam_role_policy_attachment" "elsewhere" {
              role       = var.role_name
              policy_arn = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
            }
            """));
        r.Model.IamRoles.HasUnresolvedAttachments.Should().BeTrue();
    }

    [Fact]
    public void A_managed_policy_we_do_not_carry_is_unknown_not_empty()
    {
        var r = Scan.Files(("iam.tf", """
            resource "aws_iam_role" "r" {
              name = "r"
              managed_policy_arns = ["arn:aws:iam::aws:policy/SecretsManagerReadWrite"]
            }
            """));
        var role = r.Model.IamRoles.FindByName("r")!;
        IamEvaluator.Evaluate(role.IdentityPolicies, "secretsmanager:GetSecretValue", Secret).Outcome.Should().Be(Outcome.Unknown);
    }

    [Fact]
    public void Pulumi_named_roles_and_their_attachments_are_indexed()
    {
        var r = Scan.Files(("stack.json", """
            {"version": 3, "deployment": {"resources": [
              {"urn": "urn:pulumi:dev::app::aws:iam/role:Role::exec", "type": "aws:iam/role:Role",
               "inputs": {"name": "app-exec", "assumeRolePolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ecs-tasks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"}},
              {"urn": "urn:pulumi:dev::app::aws:iam/rolePolicyAttachment:RolePolicyAttachment::exec-policy", "type": "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
               "inputs": {"role": "app-exec", "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}}
            ]}}
            """));
        var role = r.Model.IamRoles.FindByName("app-exec")!;
        role.Policies.Should().ContainSingle().Which.Via.Should().Contain("AmazonECSTaskExecutionRolePolicy");
        TrustPolicy.AllowsService(role.Trust!, "ecs-tasks.amazonaws.com").Outcome.Should().Be(Outcome.Allowed);
    }
}

public class IamRoleIndexDataSourceTests
{
    [Fact]
    public void A_role_looked_up_with_a_data_source_is_not_indexed_since_its_policies_live_elsewhere()
    {
        var r = Scan.Files(("main.tf", """
            data "aws_iam_role" "exec" {
              name = "shared-exec"
            }
            resource "aws_ecs_task_definition" "t" {
              family             = "t"
              execution_role_arn = data.aws_iam_role.exec.arn
              container_definitions = jsonencode([{ name = "a", image = "nginx:1", secrets = [{ name = "X", valueFrom = "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf" }] }])
            }
            """));
        r.Model.IamRoles.FindByName("shared-exec").Should().BeNull();
        r.Model.IamRoles.Find(r.Model.TaskDefinitions.Single().Body["executionRoleArn"]).Should().BeNull();
        r.Of("execution-role-cannot-read-secret").Should().BeEmpty("the role's policies are not in the code");
    }
}

public class IamRoleIndexScopeTests
{
    private const string Service = """
        resource "aws_iam_role" "exec" {
          name = "NAME"
        }
        resource "aws_ecs_task_definition" "t" {
          family             = "NAME"
          execution_role_arn = aws_iam_role.exec.arn
          container_definitions = jsonencode([{ name = "a", image = "nginx:1", secrets = [{ name = "X", valueFrom = "arn:aws:secretsmanager:us-east-1:111122223333:secret:x-AbCdEf" }] }])
        }
        """;

    [Fact]
    public void An_unidentified_attachment_only_clouds_the_roles_of_its_own_root_module()
    {
        var r = Scan.Files(
            ("svc-a/main.tf", Service.Replace("NAME", "svc-a")),
            ("svc-b/main.tf", Service.Replace("NAME", "svc-b") + "\nvariable \"extra_role\" {}\nresource \"aws_iam_role_policy_attachment\" \"x\" {\n  role       = var.extra_role\n  policy_arn = \"arn:aws:iam::aws:policy/SecretsManagerReadWrite\"\n}\n"));
        var roles = r.Model.IamRoles;
        roles.MayHaveUnseenAttachments(roles.FindByName("svc-a")!).Should().BeFalse();
        roles.MayHaveUnseenAttachments(roles.FindByName("svc-b")!).Should().BeTrue();
        r.Of("execution-role-cannot-read-secret").Should().ContainSingle("svc-a's role certainly lacks the grant; svc-b's may get it from the attachment beside it")
            .Which.Span.File.Should().Be("svc-a/main.tf");
    }
}
