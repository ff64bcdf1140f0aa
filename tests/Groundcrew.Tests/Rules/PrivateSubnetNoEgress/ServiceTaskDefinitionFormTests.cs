using FluentAssertions;
using Groundcrew.Model.Aws;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Rules.PrivateSubnetNoEgress;

/// <summary>
/// An ECS service names its task definition in many forms; each must tie (here: the task needs Secrets Manager, which
/// its isolated subnet cannot reach). The twin of each case adds a NAT route and passes.
/// </summary>
public class ServiceTaskDefinitionFormTests
{
    private const string Id = "private-subnet-no-egress";

    private static string Network(bool nat) => $$"""
        resource "aws_vpc" "core" { cidr_block = "10.20.0.0/16" }
        resource "aws_subnet" "isolated" {
          vpc_id     = aws_vpc.core.id
          cidr_block = "10.20.8.0/24"
        }
        resource "aws_subnet" "edge" {
          vpc_id                  = aws_vpc.core.id
          cidr_block              = "10.20.1.0/24"
          map_public_ip_on_launch = true
        }
        resource "aws_internet_gateway" "gw" { vpc_id = aws_vpc.core.id }
        resource "aws_nat_gateway" "out" { subnet_id = aws_subnet.edge.id }
        resource "aws_route_table" "isolated" {
          vpc_id = aws_vpc.core.id
        {{(nat ? "  route {\n    cidr_block     = \"0.0.0.0/0\"\n    nat_gateway_id = aws_nat_gateway.out.id\n  }" : "")}}
        }
        resource "aws_route_table_association" "isolated" {
          subnet_id      = aws_subnet.isolated.id
          route_table_id = aws_route_table.isolated.id
        }
        """;

    private const string TaskBody = """
          family                   = "ledger"
          requires_compatibilities = ["FARGATE"]
          network_mode             = "awsvpc"
          cpu                      = "256"
          memory                   = "512"
          container_definitions = jsonencode([{
            name    = "ledger"
            image   = "555566667777.dkr.ecr.eu-central-1.amazonaws.com/ledger:2"
            secrets = [{ name = "DB", valueFrom = "arn:aws:secretsmanager:eu-central-1:555566667777:secret:ledger-db-Ab12Cd" }]
          }])
        """;

    private const string TaskTf = "resource \"aws_ecs_task_definition\" \"ledger\" {\n" + TaskBody + "\n}\n";

    private static string Service(string taskDefinition, string name = "ledger") => $$"""
        resource "aws_ecs_service" "ledger" {
          name            = "{{name}}"
          task_definition = {{taskDefinition}}
          launch_type     = "FARGATE"
          network_configuration {
            subnets = [aws_subnet.isolated.id]
          }
        }
        """;

    private static void FailsThenPassesWithNat(Func<bool, (string, string)[]> files, string because, string? expect = "Secrets Manager")
    {
        var f = Scan.Files(files(false)).Of(Id).Should().ContainSingle(because).Subject;
        if (expect != null) f.Message.Should().Contain(expect);
        Scan.Files(files(true)).Of(Id).Should().BeEmpty("the twin routes 0.0.0.0/0 through a NAT gateway");
    }

    [Theory]
    [InlineData("\"ledger\"")]
    [InlineData("\"ledger:7\"")]
    [InlineData("\"arn:aws:ecs:eu-central-1:555566667777:task-definition/ledger:7\"")]
    [InlineData("var.task_family")]
    public void Family_revision_arn_and_variable_forms_tie_in_the_root_module(string form) =>
        FailsThenPassesWithNat(nat => [("stack/network.tf", Network(nat)), ("stack/ledger.tf", TaskTf + Service(form)),
            ("stack/variables.tf", "variable \"task_family\" {\n  type    = string\n  default = \"ledger:3\"\n}\n")], form);

    [Fact]
    public void A_variable_set_in_tfvars_ties()
    {
        FailsThenPassesWithNat(nat => [("stack/network.tf", Network(nat)), ("stack/ledger.tf", TaskTf + Service("var.td")),
            ("stack/variables.tf", "variable \"td\" { type = string }\n"), ("stack/terraform.tfvars", "td = \"ledger:12\"\n")], "tfvars");
    }

    [Fact]
    public void A_task_definition_in_a_local_module_ties()
    {
        var module = "resource \"aws_ecs_task_definition\" \"this\" {\n" + TaskBody + "\n}\noutput \"arn\" { value = aws_ecs_task_definition.this.arn }\n";
        FailsThenPassesWithNat(nat => [("stack/network.tf", Network(nat)), ("stack/main.tf", "module \"ledger_task\" {\n  source = \"../modules/task\"\n}\n" + Service("module.ledger_task.arn")),
            ("modules/task/main.tf", module)], "module output");
    }

    private const string TaskJson = """
        { "family": "ledger", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc", "cpu": "256", "memory": "512",
          "executionRoleArn": "arn:aws:iam::555566667777:role/exec",
          "containerDefinitions": [ { "name": "ledger", "image": "555566667777.dkr.ecr.eu-central-1.amazonaws.com/ledger:2", "essential": true,
            "secrets": [ { "name": "DB", "valueFrom": "arn:aws:secretsmanager:eu-central-1:555566667777:secret:ledger-db-Ab12Cd" } ] } ] }
        """;

    [Fact]
    public void A_register_or_describe_json_file_of_the_family_ties()
    {
        FailsThenPassesWithNat(nat => [("infra/network.tf", Network(nat)), ("infra/service.tf", Service("\"ledger:4\"")), ("taskdefs/ledger.json", TaskJson)], "register shape");
        var describe = "{ \"taskDefinition\": " + TaskJson.Replace("\"family\": \"ledger\"", "\"family\": \"ledger\", \"revision\": 4") + " }";
        FailsThenPassesWithNat(nat => [("infra/network.tf", Network(nat)), ("infra/service.tf", Service("\"arn:aws:ecs:eu-central-1:555566667777:task-definition/ledger:4\"")),
            ("snapshots/describe-ledger.json", describe)], "describe shape");
    }

    [Fact]
    public void A_workflow_that_renders_and_deploys_a_file_to_the_service_ties_it()
    {
        var workflow = """
            name: deploy
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                steps:
                  - id: render
                    uses: aws-actions/amazon-ecs-render-task-definition@v1
                    with:
                      task-definition: deploy/td.json
                      container-name: ledger
                      image: ${{ steps.build.outputs.image }}
                  - uses: aws-actions/amazon-ecs-deploy-task-definition@v2
                    with:
                      task-definition: ${{ steps.render.outputs.task-definition }}
                      service: ledger-svc
                      cluster: core
            """;
        var td = TaskJson.Replace("\"family\": \"ledger\"", "\"family\": \"ledger-rendered\"");
        FailsThenPassesWithNat(nat => [("tf/network.tf", Network(nat)), ("tf/service.tf", Service("\"placeholder\"", name: "ledger-svc")),
            ("deploy/td.json", td), (".github/workflows/deploy.yml", workflow)], "deploy step");
    }

    [Fact]
    public void A_fargate_service_whose_task_definition_is_not_scanned_still_needs_a_way_to_pull_its_image()
    {
        FailsThenPassesWithNat(nat => [("stack/network.tf", Network(nat)), ("stack/service.tf", Service("data.aws_ecs_task_definition.ledger.arn"))],
            "no task definition in the scan", expect: "its task definition is not in the scan");
        // ECR endpoints alone may be enough (an ECR image) or not (any other registry): nothing is said.
        var endpoints = string.Join("\n", new[] { "ecr.api", "ecr.dkr" }.Select(s =>
            $"resource \"aws_vpc_endpoint\" \"{s.Replace('.', '_')}\" {{\n  vpc_id = aws_vpc.core.id\n  service_name = \"com.amazonaws.eu-central-1.{s}\"\n  vpc_endpoint_type = \"Interface\"\n  private_dns_enabled = true\n  subnet_ids = [aws_subnet.isolated.id]\n}}"))
            + "\nresource \"aws_vpc_endpoint\" \"s3\" {\n  vpc_id = aws_vpc.core.id\n  service_name = \"com.amazonaws.eu-central-1.s3\"\n  route_table_ids = [aws_route_table.isolated.id]\n}\n";
        Scan.Files(("stack/network.tf", Network(false) + endpoints), ("stack/service.tf", Service("data.aws_ecs_task_definition.ledger.arn"))).Of(Id).Should().BeEmpty();
    }

    [Theory]
    [InlineData("ledger", "ledger")]
    [InlineData("ledger:3", "ledger")]
    [InlineData("arn:aws:ecs:us-east-1:111122223333:task-definition/web-api_v2:41", "web-api_v2")]
    [InlineData("arn:aws:iam::111122223333:role/x", null)]
    [InlineData("not a family", null)]
    public void Family_is_read_from_each_written_form(string text, string? family) => EcsServiceTasks.Family(text).Should().Be(family);

    [Fact]
    public void A_cloudformation_service_on_fargate_ties_its_task_definition_by_ref_for_the_execution_role_check()
    {
        static string Template(string td) => $$"""
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              LedgerTask:
                Type: AWS::ECS::TaskDefinition
                Properties:
                  Family: ledger
                  ContainerDefinitions:
                    - Name: ledger
                      Image: 555566667777.dkr.ecr.eu-central-1.amazonaws.com/ledger:2
              LedgerService:
                Type: AWS::ECS::Service
                Properties:
                  LaunchType: FARGATE
                  TaskDefinition: {{td}}
            """;
        Scan.Files(("cfn/ledger.yaml", Template("!Ref LedgerTask"))).Of("execution-role-missing").Should().ContainSingle()
            .Which.Message.Should().Contain("Fargate");
        Scan.Files(("cfn/ledger.yaml", Template("ledger:5"))).Of("execution-role-missing").Should().ContainSingle("the family string ties too");
    }
}
