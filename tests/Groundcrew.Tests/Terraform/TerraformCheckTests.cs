using FluentAssertions;
using Groundcrew.Config;
using Groundcrew.Core;
using Groundcrew.Model;
using Groundcrew.Tests.Support;
using Xunit;

namespace Groundcrew.Tests.Terraform;

/// <summary>`check` reads Terraform folders and Pulumi documents: resources land in the model, existing rules apply.</summary>
public class TerraformCheckTests
{
    private const string TaskDefinition = """
        resource "aws_ecs_task_definition" "api" {
          family                = "api"
          container_definitions = jsonencode([
            {
              name  = "api"
              image = "nginx:1.27"
              environment = [
                { name = "AWS_SECRET_ACCESS_KEY", value = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
              ]
            }
          ])
        }
        """;

    [Fact]
    public void Terraform_resources_and_task_definitions_enter_the_model()
    {
        var r = Scan.Files(("infra/main.tf", TaskDefinition + "\nresource \"aws_lb\" \"web\" {\n  name = \"web\"\n}\n"));
        r.Model.Resources.Should().Contain(x => x.Family == ResourceFamily.Terraform && x.Kind == "aws_lb" && x.Name == "aws_lb.web" && x.File == "infra/main.tf");
        var td = r.Model.TaskDefinitions.Should().ContainSingle().Subject;
        td.Family.Should().Be("api");
        td.Containers.Should().ContainSingle(c => c.Name == "api");
    }

    [Fact]
    public void Ecs_rules_apply_to_a_terraform_task_definition_at_the_tf_line()
    {
        var r = Scan.Files(("main.tf", TaskDefinition));
        var f = r.Findings.Where(f => f.RuleId is "long-lived-aws-credentials" or "plaintext-credential").ToList();
        f.Should().NotBeEmpty();
        f.Should().OnlyContain(x => x.Span.File == "main.tf" && x.Span.StartLine == 8);
        f.Should().OnlyContain(x => !x.Message.Contains("wJalrXUtnFEMI"), "secret values are never printed");
    }

    [Fact]
    public void A_syntax_error_is_an_input_error_at_its_line_and_the_other_files_still_load()
    {
        var r = Scan.Files(("broken.tf", "resource \"aws_lb\" \"a\" {\n  name = \n}\n"), ("ok.tf", "resource \"aws_lb\" \"b\" {\n  name = \"b\"\n}\n"));
        r.Of("input-error").Should().ContainSingle(f => f.Span.File == "broken.tf" && f.Span.StartLine >= 2 && f.Span.StartLine <= 3);
        r.Model.Resources.Should().Contain(x => x.Name == "aws_lb.b");
    }

    [Fact]
    public void A_local_module_called_by_a_scanned_root_is_evaluated_through_the_call_only()
    {
        var r = Scan.Files(
            ("env/prod/main.tf", "module \"lb\" {\n  source = \"../../modules/lb\"\n  name   = \"prod-front-door-application-balancer\"\n}\n"),
            ("modules/lb/main.tf", "variable \"name\" {}\nresource \"aws_lb\" \"this\" {\n  name = var.name\n}\n"));
        r.Model.Resources.Where(x => x.Kind == "aws_lb").Select(x => x.Name).Should().Equal("module.lb.aws_lb.this");
        r.Of("aws-name-too-long").Should().ContainSingle(f => f.Span.File == "env/prod/main.tf" && f.Span.StartLine == 3,
            "the value comes from the module call, so the finding points at the line that sets it");
    }

    [Fact]
    public void A_module_called_only_with_for_each_is_read_on_its_own_and_its_unknown_names_are_not_judged()
    {
        var r = Scan.Files(
            ("root/main.tf", "module \"lb\" {\n  source   = \"../lb\"\n  for_each = toset([\"a\", \"b\"])\n  name     = \"${each.key}-front-door-application-balancer\"\n}\n"),
            ("lb/main.tf", "variable \"name\" {}\nresource \"aws_lb\" \"this\" {\n  name = var.name\n}\n"));
        r.Model.Resources.Where(x => x.Kind == "aws_lb").Select(x => x.Name).Should().Equal("aws_lb.this");
        r.Of("aws-name-too-long").Should().BeEmpty();
    }

    [Fact]
    public void Kubernetes_rules_ignore_terraform_resources_named_like_kubernetes_kinds()
    {
        var r = Scan.Files(("main.tf", """
            resource "kubernetes_deployment" "web" {
              metadata {
                name = "web"
              }
              spec {
                replicas = 1
                template {
                  spec {
                    container {
                      name  = "web"
                      image = "web:latest"
                    }
                  }
                }
              }
            }
            """));
        r.Model.Workloads.Should().BeEmpty();
        r.Findings.Should().BeEmpty();
    }

    [Fact]
    public void Pulumi_stack_export_and_preview_are_recognised_by_content()
    {
        var export = Scan.Files(("state.json", """
            {"version": 3, "deployment": {"resources": [
              {"urn": "urn:pulumi:dev::app::aws:sqs/queue:Queue::jobs", "type": "aws:sqs/queue:Queue", "inputs": {"name": "jobs"}}
            ]}}
            """));
        export.Model.Resources.Should().ContainSingle(x => x.Family == ResourceFamily.Pulumi && x.Kind == "aws:sqs/queue:Queue" && x.Name == "jobs");

        var preview = Scan.Files(("preview.json", """
            {"steps": [{"op": "create", "urn": "urn:pulumi:dev::app::aws:iam/role:Role::r",
              "newState": {"urn": "urn:pulumi:dev::app::aws:iam/role:Role::r", "type": "aws:iam/role:Role", "inputs": {"name": "r"}}}]}
            """));
        preview.Model.Resources.Should().ContainSingle(x => x.Family == ResourceFamily.Pulumi && x.Kind == "aws:iam/role:Role");
    }

    [Fact]
    public void A_pulumi_task_definition_has_its_container_definitions_string_parsed_so_ecs_rules_apply()
    {
        var r = Scan.Files(("state.json", """
            {"version": 3, "deployment": {"resources": [
              {"urn": "urn:pulumi:dev::app::aws:ecs/taskDefinition:TaskDefinition::api", "type": "aws:ecs/taskDefinition:TaskDefinition",
               "inputs": {"family": "api",
                 "containerDefinitions": "[{\"name\":\"api\",\"image\":\"nginx:1.27\",\"environment\":[{\"name\":\"AWS_SECRET_ACCESS_KEY\",\"value\":\"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}]}]"}}
            ]}}
            """));
        r.Model.TaskDefinitions.Should().ContainSingle().Which.Containers.Should().ContainSingle(c => c.Name == "api");
        r.Findings.Where(f => f.RuleId is "long-lived-aws-credentials" or "plaintext-credential").Should().NotBeEmpty()
            .And.OnlyContain(f => f.Span.File == "state.json" && f.Span.StartLine == 4);
    }

    private static readonly (string, string)[] EnvFiles =
    [
        ("infra/main.tf", "variable \"env\" {}\nresource \"aws_lb\" \"web\" {\n  name = \"${var.env}-public-application-lb-1\"\n}\n"),
        ("infra/env/dev.tfvars", "env = \"dev\"\n"),
        ("infra/env/production.tfvars", "# the production account\nenv = \"production\"\n"),
    ];

    [Fact]
    public void Several_var_files_read_only_with_var_file_and_none_chosen_give_one_notice()
    {
        var r = Scan.Files(EnvFiles);
        r.Notices.Where(n => n.Contains("-var-file")).Should().ContainSingle().Which.Should()
            .Contain("infra (env/dev.tfvars, env/production.tfvars)").And.Contain("varFiles");
        r.Of("aws-name-too-long").Should().BeEmpty("var.env has no value without a var file");
    }

    [Fact]
    public void A_chosen_var_file_is_read_after_the_automatic_ones_and_findings_point_into_it()
    {
        var config = new GroundcrewConfig();
        config.TerraformVarFiles.Add(("infra/env/production.tfvars", null));
        var r = Scan.Files(config, EnvFiles.Append(("infra/terraform.tfvars", "env = \"x\"\n")).ToArray());
        r.Notices.Should().NotContain(n => n.Contains("-var-file"));
        var f = r.Of("aws-name-too-long").Should().ContainSingle("production.tfvars is read after terraform.tfvars, so it wins").Subject;
        f.Message.Should().Contain("production-public-application-lb-1");
        f.Span.Should().Match<SourceSpan>(s => s.File == "infra/main.tf" && s.StartLine == 3, "the name is built on that line");

        var missing = new GroundcrewConfig();
        missing.TerraformVarFiles.Add(("infra/env/staging.tfvars", null));
        Scan.Files(missing, EnvFiles).Of("input-error").Should().ContainSingle(f => f.Span.File == "infra/env/staging.tfvars" && f.Severity == Severity.Warning);
    }
}
