using FluentAssertions;
using Groundcrew.Core;
using Groundcrew.Load.Terraform;
using Groundcrew.Model;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Terraform;

/// <summary>
/// Values computed at apply time keep the reference they stand for, so rules can follow
/// <c>execution_role_arn = aws_iam_role.execution.arn</c> to the role, a subnet list to the subnets, and so on.
/// </summary>
public class TerraformReferenceTests
{
    private const string Module = """
        resource "aws_iam_role" "execution" {
          name = "exec"
        }
        resource "aws_subnet" "private" {
          count      = 2
          cidr_block = "10.0.${count.index}.0/24"
        }
        resource "aws_secretsmanager_secret" "db" {
          name = "prod/db"
        }
        resource "aws_db_instance" "main" {
          manage_master_user_password = true
        }
        locals {
          role_arn = aws_iam_role.execution.arn
        }
        resource "aws_ecs_service" "api" {
          name = "api"
          network_configuration {
            subnets = aws_subnet.private[*].id
          }
        }
        resource "aws_ecs_task_definition" "api" {
          family             = "api"
          execution_role_arn = local.role_arn
          container_definitions = jsonencode([{
            name  = "api"
            image = "nginx:1.27"
            secrets = [
              { name = "DB_HOST", valueFrom = "${aws_secretsmanager_secret.db.arn}:host::" },
              { name = "MASTER", valueFrom = aws_db_instance.main.master_user_secret[0].secret_arn },
            ]
          }])
        }
        """;

    private static Groundcrew.Check.CheckResult Run() => Scan.Files(("infra/main.tf", Module));

    [Fact]
    public void A_computed_attribute_read_through_a_local_still_names_its_resource()
    {
        var r = Run();
        var td = r.Model.TaskDefinitions.Should().ContainSingle().Subject;
        var node = td.Body["executionRoleArn"].Should().BeOfType<UnknownNode>().Subject;
        node.Ref.Should().Be("aws_iam_role.execution.arn");
        var (role, attribute) = r.Model.ResolveRef(node.Ref)!.Value;
        role.Kind.Should().Be("aws_iam_role");
        role.Body.GetString("name").Should().Be("exec");
        attribute.Should().Be("arn");
    }

    [Fact]
    public void Splat_over_counted_instances_gives_one_reference_per_instance()
    {
        var r = Run();
        var service = r.Model.FindByAddress("aws_ecs_service.api")!;
        var subnets = service.Body.GetSeq("network_configuration")!.Maps.Single().GetSeq("subnets")!;
        subnets.Items.Cast<UnknownNode>().Select(u => u.Ref).Should().Equal("aws_subnet.private[0].id", "aws_subnet.private[1].id");
        r.Model.ResolveRef("aws_subnet.private[1].id")!.Value.Resource.Body.GetString("cidr_block").Should().Be("10.0.1.0/24");
    }

    [Fact]
    public void A_template_around_one_reference_keeps_the_text_around_it()
    {
        var r = Run();
        var secrets = r.Model.TaskDefinitions.Single().Containers.Single().Node.GetSeq("secrets")!.Maps.ToList();
        var host = secrets[0]["valueFrom"].Should().BeOfType<UnknownNode>().Subject;
        host.Ref.Should().Be("aws_secretsmanager_secret.db.arn");
        host.RefPrefix.Should().BeEmpty();
        host.RefSuffix.Should().Be(":host::");
        var master = secrets[1]["valueFrom"].Should().BeOfType<UnknownNode>().Subject;
        master.Ref.Should().Be("aws_db_instance.main.master_user_secret[0].secret_arn");
        r.Model.ResolveRef(master.Ref)!.Value.Attribute.Should().Be("master_user_secret[0].secret_arn");
    }

    [Fact]
    public void References_inside_a_local_module_carry_the_module_prefix()
    {
        var r = Scan.Files(
            ("env/main.tf", "module \"iam\" {\n  source = \"../modules/iam\"\n}\nresource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  execution_role_arn = module.iam.role_arn\n  container_definitions = jsonencode([{ name = \"a\", image = \"nginx:1\" }])\n}\n"),
            ("modules/iam/main.tf", "resource \"aws_iam_role\" \"this\" {\n  name = \"from-module\"\n}\noutput \"role_arn\" {\n  value = aws_iam_role.this.arn\n}\n"));
        var node = r.Model.TaskDefinitions.Single().Body["executionRoleArn"].Should().BeOfType<UnknownNode>().Subject;
        node.Ref.Should().Be("module.iam.aws_iam_role.this.arn");
        r.Model.ResolveRef(node.Ref)!.Value.Resource.Body.GetString("name").Should().Be("from-module");
    }

    [Fact]
    public void Unknown_values_that_are_not_references_have_none_and_resolve_to_nothing()
    {
        var r = Scan.Files(("main.tf", "variable \"role\" {}\nresource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  execution_role_arn = var.role\n  container_definitions = jsonencode([{ name = \"a\", image = \"nginx:1\" }])\n}\n"));
        r.Model.TaskDefinitions.Single().Body["executionRoleArn"].Should().BeOfType<UnknownNode>().Which.Ref.Should().BeNull();
        r.Model.ResolveRef("aws_iam_role.missing.arn").Should().BeNull();
        r.Model.ResolveRef(null).Should().BeNull();
    }

    [Fact]
    public void A_function_over_a_reference_is_unknown_without_a_reference()
    {
        var r = Scan.Files(("main.tf", "resource \"aws_iam_role\" \"a\" {\n  name = \"a\"\n}\nresource \"aws_ecs_task_definition\" \"t\" {\n  family = \"t\"\n  execution_role_arn = lower(aws_iam_role.a.arn)\n  container_definitions = jsonencode([{ name = \"a\", image = \"nginx:1\" }])\n}\n"));
        r.Model.TaskDefinitions.Single().Body["executionRoleArn"].Should().BeOfType<UnknownNode>().Which.Ref.Should().BeNull("a transformed value is not the attribute itself");
    }
}

/// <summary>Two root modules (environments) may declare the same address: each reference resolves in its own.</summary>
public class TerraformReferenceScopeTests
{
    [Fact]
    public void The_same_address_in_two_root_modules_resolves_within_each()
    {
        static string Env(string name) => $"resource \"aws_iam_role\" \"exec\" {{\n  name = \"{name}\"\n}}\nresource \"aws_ecs_task_definition\" \"t\" {{\n  family = \"{name}\"\n  execution_role_arn = aws_iam_role.exec.arn\n  container_definitions = jsonencode([{{ name = \"a\", image = \"nginx:1\" }}])\n}}\n";
        var r = Scan.Files(("env/dev/main.tf", Env("dev-exec")), ("env/prod/main.tf", Env("prod-exec")));
        r.Model.TaskDefinitions.Should().HaveCount(2);
        foreach (var td in r.Model.TaskDefinitions)
        {
            var node = (UnknownNode)td.Body["executionRoleArn"]!;
            r.Model.ResolveRef(node)!.Value.Resource.Body.GetString("name").Should().Be(td.Family);
            r.Model.IamRoles.Find(node)!.Name.Should().Be(td.Family);
        }
        r.Model.ResolveRef("aws_iam_role.exec.arn").Should().BeNull("without a scope the address is ambiguous");
    }
}
