using FluentAssertions;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.ExecutionRoleMissing;

public class ExecutionRoleMissingTests
{
    private const string Id = "execution-role-missing";
    private const string PrivateImage = "481516234200.dkr.ecr.us-east-1.amazonaws.com/app:7";

    /// <summary>A task definition file: task-level keys (JSON members, without braces) and one container's extra members.</summary>
    private static List<Groundcrew.Core.Finding> Json(string taskLevel, string container, string image = PrivateImage) =>
        Scan.Files(("td.json", $$"""
            {
              "family": "app",
              {{taskLevel}}
              "containerDefinitions": [
                {
                  "name": "app",
                  "image": "{{image}}",
                  {{container}}
                  "essential": true
                }
              ]
            }
            """)).Of(Id).ToList();

    private const string Awslogs = """ "logConfiguration": { "logDriver": "awslogs", "options": { "awslogs-group": "/ecs/app" } }, """;
    private const string Secrets = """ "secrets": [{ "name": "DB_PASSWORD", "valueFrom": "/app/db-password" }], """;

    [Fact]
    public void Fargate_with_awslogs_is_reported_at_the_log_driver_with_the_registration_error()
    {
        var f = Json("\"requiresCompatibilities\": [\"FARGATE\"],", Awslogs, image: "nginx:1.27").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(8, "the logConfiguration line with logDriver awslogs");
        f.Message.Should().Contain("`app`").And.Contain("awslogs").And.Contain("Fargate requires task definition to have execution role ARN to support log driver awslogs");
        f.Fix.Should().Contain("\"executionRoleArn\"").And.Contain("ecs-tasks.amazonaws.com").And.Contain("AmazonECSTaskExecutionRolePolicy");
        f.Related.Should().ContainSingle().Which.Span.StartLine.Should().Be(2, "the related location is the task definition, where the role goes");
    }

    [Fact]
    public void EC2_launch_type_with_awslogs_and_a_private_ECR_image_is_fine_the_instance_role_does_both()
    {
        Json("\"requiresCompatibilities\": [\"EC2\"],", Awslogs).Should().BeEmpty();
    }

    [Fact]
    public void Fargate_with_a_public_image_and_no_logs_is_fine()
    {
        Json("\"requiresCompatibilities\": [\"FARGATE\"],", "", image: "public.ecr.aws/nginx/nginx:1.27").Should().BeEmpty();
        Json("\"requiresCompatibilities\": [\"FARGATE\"],", "", image: "nginx:1.27").Should().BeEmpty();
    }

    [Fact]
    public void Fargate_with_a_private_ECR_image_is_reported_at_the_image()
    {
        var f = Json("\"requiresCompatibilities\": [\"FARGATE\"],", "").Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(7);
        f.Message.Should().Contain(PrivateImage).And.Contain("support ECR images");
        Json("\"requiresCompatibilities\": [\"FARGATE\"],", "", image: "481516234200.dkr.ecr.cn-north-1.amazonaws.com.cn/app:7").Should().ContainSingle();
    }

    [Fact]
    public void External_instances_need_the_role_for_ECR_too_without_claiming_the_Fargate_registration_error()
    {
        var f = Json("\"requiresCompatibilities\": [\"EXTERNAL\"],", "").Should().ContainSingle().Subject;
        f.Message.Should().Contain("EXTERNAL").And.NotContain("Fargate requires");
    }

    [Fact]
    public void Unknown_launch_type_checks_only_what_every_launch_type_needs()
    {
        Json("", Awslogs).Should().BeEmpty("no requiresCompatibilities and no service: it may run on EC2, where awslogs and ECR need no execution role");
        var f = Json("", Awslogs + Secrets).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(8, "the secrets entry");
        f.Message.Should().Contain("`DB_PASSWORD`").And.Contain("When you are specifying container secrets").And.NotContain("awslogs");
    }

    [Fact]
    public void Registry_credentials_and_log_secret_options_need_the_role_on_any_launch_type()
    {
        Json("", "\"repositoryCredentials\": { \"credentialsParameter\": \"arn:aws:secretsmanager:us-east-1:481516234200:secret:hub-AbCdEf\" },", image: "acme/app:1")
            .Should().ContainSingle().Which.Message.Should().Contain("Private repository authentication requires");
        Json("", "\"logConfiguration\": { \"logDriver\": \"splunk\", \"secretOptions\": [{ \"name\": \"splunk-token\", \"valueFrom\": \"/app/splunk\" }] },", image: "acme/app:1")
            .Should().ContainSingle().Which.Message.Should().Contain("secretOptions").And.Contain("`splunk-token`");
    }

    [Fact]
    public void One_finding_per_task_definition_naming_the_other_needs()
    {
        var f = Json("\"requiresCompatibilities\": [\"FARGATE\"],", Secrets + Awslogs).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(8, "the first need in the container: its secrets");
        f.Message.Should().Contain("also").And.Contain("awslogs").And.Contain("private Amazon ECR");
        f.Fix.Should().Contain("secretsmanager:GetSecretValue");
    }

    [Fact]
    public void Any_role_value_counts_as_present_but_null_does_not()
    {
        Json("\"requiresCompatibilities\": [\"FARGATE\"], \"executionRoleArn\": \"${EXECUTION_ROLE_ARN}\",", Secrets).Should().BeEmpty();
        Json("\"requiresCompatibilities\": [\"FARGATE\"], \"executionRoleArn\": \"ecsTaskExecutionRole\",", Secrets).Should().BeEmpty();
        Json("\"requiresCompatibilities\": [\"FARGATE\"], \"executionRoleArn\": null,", Secrets).Should().ContainSingle();
    }

    [Fact]
    public void A_fragment_without_family_is_not_judged()
    {
        Scan.Files(("containers.json", $$"""
            { "containerDefinitions": [ { "name": "app", "image": "{{PrivateImage}}", {{Secrets}} "essential": true } ] }
            """)).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void Terraform_role_from_a_variable_or_a_module_input_counts_as_present()
    {
        const string module = """
            variable "execution_role_arn" {
              type    = string
              default = null
            }
            resource "aws_ecs_task_definition" "app" {
              family                   = "app"
              requires_compatibilities = ["FARGATE"]
              execution_role_arn       = var.execution_role_arn
              container_definitions    = jsonencode([{ name = "app", image = "nginx:1", secrets = [{ name = "A", valueFrom = "/a" }] }])
            }
            """;
        Scan.Files(("modules/app/main.tf", module), ("main.tf", """
            module "app" {
              source             = "./modules/app"
              execution_role_arn = var.role
            }
            variable "role" {
              type = string
            }
            """)).Of(Id).Should().BeEmpty("the caller passes a variable without a default");
        Scan.Files(("main.tf", module)).Of(Id).Should().BeEmpty("a module scanned on its own gets its role from callers Groundcrew does not see");
    }

    [Fact]
    public void Terraform_without_the_argument_is_reported_with_the_terraform_fix()
    {
        var f = Scan.Files(("main.tf", """
            resource "aws_ecs_task_definition" "app" {
              family                = "app"
              container_definitions = jsonencode([{ name = "app", image = "nginx:1", secrets = [{ name = "A", valueFrom = "/a" }] }])
            }
            """)).Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(3);
        f.Fix.Should().Contain("execution_role_arn = aws_iam_role.");
    }

    [Fact]
    public void A_Terraform_service_on_Fargate_capacity_providers_tells_the_launch_type()
    {
        const string td = """
            resource "aws_ecs_task_definition" "app" {
              family                = "app"
              container_definitions = jsonencode([{ name = "app", image = "481516234200.dkr.ecr.us-east-1.amazonaws.com/app:1" }])
            }
            """;
        Scan.Files(("main.tf", td + "\n" + """
            resource "aws_ecs_service" "app" {
              name            = "app"
              task_definition = aws_ecs_task_definition.app.arn
              capacity_provider_strategy {
                capacity_provider = "FARGATE_SPOT"
                weight            = 1
              }
            }
            """)).Of(Id).Should().ContainSingle().Which.Message.Should().Contain("aws_ecs_service.app");
        Scan.Files(("main.tf", td + "\n" + """
            resource "aws_ecs_service" "app" {
              name            = "app"
              task_definition = aws_ecs_task_definition.app.arn
              launch_type     = "EC2"
            }
            """)).Of(Id).Should().BeEmpty();
    }

    [Fact]
    public void CloudFormation_role_from_a_parameter_counts_as_present()
    {
        static string Template(string role) => $$"""
            Parameters:
              Role:
                Type: String
            Resources:
              Task:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  {{role}}
                  ContainerDefinitions:
                    - Name: app
                      Image: acme/app:1
                      Secrets:
                        - Name: A
                          ValueFrom: /a
            """;
        Scan.Files(("template.yaml", Template("ExecutionRoleArn: !Ref Role"))).Of(Id).Should().BeEmpty();
        var f = Scan.Files(("template.yaml", Template("Family: app"))).Of(Id).Should().ContainSingle().Subject;
        f.Span.StartLine.Should().Be(13);
        f.Fix.Should().Contain("ExecutionRoleArn: !GetAtt");
    }
    [Fact]
    public void With_base_a_role_the_previous_revision_had_is_left_to_ecs_revision_drops_execution_role()
    {
        static string TaskDef(bool role) => $$"""
            {
              "family": "svc",
              {{(role ? "\"executionRoleArn\": \"arn:aws:iam::481516234200:role/exec\"," : "")}}
              "containerDefinitions": [ { "name": "svc", "image": "acme/svc:1", "secrets": [{ "name": "A", "valueFrom": "/a" }] } ]
            }
            """;
        using var repo = new GitRepo();
        repo.Write("td.json", TaskDef(true)).Commit();
        repo.Write("td.json", TaskDef(false));
        var result = repo.Scan();
        result.Of(Id).Should().BeEmpty("one finding for one problem");
        result.Of("ecs-revision-drops-execution-role").Should().ContainSingle();

        using var fresh = new GitRepo();
        fresh.Write("td.json", TaskDef(false)).Commit();
        fresh.Write("td.json", TaskDef(false) + "\n");
        fresh.Scan().Of(Id).Should().ContainSingle("the base revision had no role either: nothing was dropped, the role is simply missing");
    }
    [Fact]
    public void In_a_plan_a_role_known_only_after_apply_counts_as_present()
    {
        var plan = File.ReadAllText(Path.Combine(Scan.TestRoot, "Fixtures", "TerraformPlan", "infra", "plan.json"))
            .Replace("public.ecr.aws/nginx/nginx:1.27", "481516234200.dkr.ecr.us-east-1.amazonaws.com/api:1");
        plan.Should().Contain("\"execution_role_arn\": true", "the fixture's role is computed (after_unknown)");
        Scan.Files(("plan.json", plan)).Of(Id).Should().BeEmpty();
        Scan.Files(("plan.json", plan.Replace("\"execution_role_arn\": true", "\"execution_role_arn\": false"))).Of(Id)
            .Should().ContainSingle("without the role, the Fargate task definition pulls from private ECR with nothing to pull with")
            .Which.Message.Should().Contain("support ECR images");
    }
}
