using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Xunit;

namespace Groundcrew.Tests.Terraform;

public class TerraformValueToTreeTests
{
    [Fact]
    public void Ecs_task_definition_with_jsonencoded_containers_points_at_tf_lines()
    {
        const string Tf = """
            variable "image" {
              default = "nginx:1.27"
            }

            resource "aws_ecs_task_definition" "web" {
              family                   = "web"
              requires_compatibilities = ["FARGATE"]
              execution_role_arn       = aws_iam_role.exec.arn
              container_definitions = jsonencode([
                {
                  name      = "web"
                  image     = var.image
                  essential = true
                  portMappings = [
                    { containerPort = 80 }
                  ]
                  environment = [
                    { name = "MODE", value = "prod" },
                  ]
                }
              ])
            }
            resource "aws_iam_role" "exec" {
              name = "exec"
            }
            """;
        var module = TerraformModule.FromSources("/x", ("ecs.tf", Tf));
        var ev = new HclEvaluator(module);
        var block = module.Resources["aws_ecs_task_definition.web"];
        var tree = TerraformValueToTree.EcsTaskDefinition(ev.Resource("aws_ecs_task_definition", "web"), block.Span);

        tree.GetString("family").Should().Be("web");
        tree["executionRoleArn"].Should().BeOfType<UnknownNode>("the role ARN is computed at apply");
        tree.GetSeq("requiresCompatibilities")!.Items.Single().AsScalar!.Value.Should().Be("FARGATE");
        var container = tree.GetSeq("containerDefinitions")!.Maps.Single();
        container.Span.File.Should().Be("ecs.tf");
        container.Span.StartLine.Should().Be(10);
        container["name"]!.Span.StartLine.Should().Be(11);
        container.GetString("image").Should().Be("nginx:1.27");
        container["image"]!.Span.StartLine.Should().Be(2, "the value comes from the variable default");
        container["essential"]!.AsScalar!.IsBool.Should().BeTrue();
        var port = container.GetSeq("portMappings")!.Maps.Single()["containerPort"]!.AsScalar!;
        port.AsLong.Should().Be(80);
        port.Span.StartLine.Should().Be(15);
        var env = container.GetSeq("environment")!.Maps.Single();
        env.GetString("value").Should().Be("prod");
        env.Span.StartLine.Should().Be(18);
        container.Path.Should().Be("containerDefinitions[0]");
    }

    [Fact]
    public void Heredoc_container_definitions_map_json_lines_into_the_tf_file()
    {
        const string Tf = """
            resource "aws_ecs_task_definition" "t" {
              family = "t"
              container_definitions = <<EOF
            [
              {
                "name": "app",
                "image": "busybox"
              }
            ]
            EOF
            }
            """;
        var module = TerraformModule.FromSources("/x", ("t.tf", Tf));
        var value = new HclEvaluator(module).Resource("aws_ecs_task_definition", "t");
        var tree = TerraformValueToTree.EcsTaskDefinition(value, module.Resources["aws_ecs_task_definition.t"].Span);
        var container = tree.GetSeq("containerDefinitions")!.Maps.Single();
        container["image"]!.Span.StartLine.Should().Be(7);
        container["image"]!.Span.File.Should().Be("t.tf");
    }

    [Fact]
    public void Json_read_with_file_points_into_that_file()
    {
        using var dir = new Support.TempDir();
        dir.Write("policies/s3.json", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}\n");
        dir.Write("iam.tf", "resource \"aws_iam_policy\" \"p\" {\n  policy = file(\"${path.module}/policies/s3.json\")\n}\n");
        var module = TerraformModule.Load(dir.Path, dir.Path);
        var policy = new HclEvaluator(module).Resource("aws_iam_policy", "p").Map["policy"];
        var tree = TerraformValueToTree.DecodeJson(policy, module.Resources["aws_iam_policy.p"].Span);
        var statement = tree.At("Statement")!.AsSeq!.Maps.Single();
        statement.GetString("Action").Should().Be("s3:*");
        statement["Action"]!.Span.File.Should().Be("policies/s3.json");
        statement["Action"]!.Span.StartLine.Should().Be(4);
    }

    [Fact]
    public void Unknown_container_definitions_stay_unknown()
    {
        var module = TerraformModule.FromSources("/x", ("t.tf", "variable \"defs\" {}\nresource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  container_definitions = var.defs\n}\n"));
        var value = new HclEvaluator(module).Resource("aws_ecs_task_definition", "t");
        var tree = TerraformValueToTree.EcsTaskDefinition(value, module.Resources["aws_ecs_task_definition.t"].Span);
        tree["containerDefinitions"].Should().BeOfType<UnknownNode>();
        tree["containerDefinitions"]!.AsSeq.Should().BeNull();
    }

    [Fact]
    public void Scalars_keep_their_types()
    {
        var v = TfValue.Object([new("s", TfValue.String("1")), new("n", TfValue.Num(1)), new("b", TfValue.Boolean(true)), new("z", TfValue.Null())]);
        var map = (MapNode)TerraformValueToTree.Convert(v, SourceSpan.OfFile("f.tf"));
        map["s"]!.AsScalar!.IsString.Should().BeTrue();
        map["n"]!.AsScalar!.AsLong.Should().Be(1);
        map["b"]!.AsScalar!.IsBool.Should().BeTrue();
        map["z"]!.AsScalar!.IsNull.Should().BeTrue();
        TerraformValueToTree.Camel("execution_role_arn").Should().Be("executionRoleArn");
    }
}
