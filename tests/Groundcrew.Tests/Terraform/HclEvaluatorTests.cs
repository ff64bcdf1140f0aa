using FluentAssertions;
using Groundcrew.Load.Terraform;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Terraform;

public class HclEvaluatorTests
{
    private static HclEvaluator Module(params (string Name, string Text)[] files)
    {
        var module = TerraformModule.FromSources("/nonexistent-module-dir", files);
        module.Errors.Should().BeEmpty();
        return new HclEvaluator(module);
    }

    /// <summary>Evaluate one expression as the value of a local in a module made of the given files.</summary>
    private static TfValue Eval(string expression, params (string Name, string Text)[] files)
    {
        var ev = Module(files.Append(("zz_probe.tf", $"locals {{\n  probe = {expression}\n}}\n")).ToArray());
        return ev.Local("probe");
    }

    private static string Str(string expression, params (string, string)[] files)
    {
        var v = Eval(expression, files);
        v.Kind.Should().Be(TfKind.String, v.Reason);
        return v.Str;
    }

    [Theory]
    [InlineData("\"a-${1 + 2}-${true}\"", "a-3-true")]
    [InlineData("format(\"%s:%d/%05.1f %q %%\", \"x\", 42, 3.14159, \"q\")", "x:42/003.1 \"q\" %")]
    [InlineData("join(\",\", [\"a\", \"b\"], [\"c\"])", "a,b,c")]
    [InlineData("lower(\"AbC\")", "abc")]
    [InlineData("upper(\"abc\")", "ABC")]
    [InlineData("replace(\"a.b.c\", \".\", \"-\")", "a-b-c")]
    [InlineData("replace(\"img:1.2\", \"/:.*$/\", \"\")", "img")]
    [InlineData("substr(\"hello\", 1, 3)", "ell")]
    [InlineData("substr(\"hello\", -3, -1)", "llo")]
    [InlineData("tostring(12)", "12")]
    [InlineData("trimspace(\"  x \\n\")", "x")]
    [InlineData("element([\"a\", \"b\"], 3)", "b")]
    [InlineData("coalesce(null, \"\", \"c\")", "c")]
    [InlineData("lookup({a = \"1\"}, \"b\", \"dflt\")", "dflt")]
    [InlineData("lookup({a = \"1\"}, \"a\")", "1")]
    [InlineData("try(local.missing, \"fallback\")", "fallback")]
    [InlineData("try({a = 1}.b, \"fallback\")", "fallback")]
    [InlineData("\"%{ if 1 > 0 }yes%{ else }no%{ endif }\"", "yes")]
    [InlineData("\"%{ for k, v in {a = 1, b = 2} }${k}=${v};%{ endfor }\"", "a=1;b=2;")]
    [InlineData("jsonencode({b = [1, true, null], a = \"<x>\"})", "{\"a\":\"\\u003cx\\u003e\",\"b\":[1,true,null]}")]
    [InlineData("jsondecode(\"{\\\"k\\\": [1, 2]}\").k[1] == 2 ? \"two\" : \"other\"", "two")]
    [InlineData("\"x${1 / 4}\"", "x0.25")]
    [InlineData("\"${1.50}|${1.5e3}|${-2}\"", "1.5|1500|-2")]
    [InlineData("can(local.missing) ? \"yes\" : \"no\"", "no")]
    [InlineData("join(\"\", formatlist(\"<%s>\", [\"a\", \"b\"]))", "<a><b>")]
    [InlineData("join(\"|\", split(\",\", \"a,b\"))", "a|b")]
    [InlineData("join(\",\", toset([\"b\", \"a\", \"b\"]))", "a,b")]
    [InlineData("join(\",\", keys(merge({a = 1}, {b = 2}, {a = 3})))", "a,b")]
    [InlineData("tostring(length(concat([1], [2, 3])))", "3")]
    [InlineData("join(\",\", [for s in [\"a\", \"\", \"b\"] : upper(s) if s != \"\"])", "A,B")]
    [InlineData("join(\",\", [for k, v in {x = 1, y = 2} : \"${k}${v}\"])", "x1,y2")]
    [InlineData("join(\",\", {for s in [\"a\", \"bb\", \"cc\"] : length(s) => s...}[\"2\"])", "bb,cc")]
    [InlineData("join(\",\", [{n = \"a\"}, {n = \"b\"}][*].n)", "a,b")]
    [InlineData("join(\",\", flatten([[\"a\"], [[\"b\"]], \"c\"]))", "a,b,c")]
    [InlineData("one([\"only\"])", "only")]
    [InlineData("base64decode(base64encode(\"hi\"))", "hi")]
    public void Functions_and_expressions(string expression, string expected) => Str(expression).Should().Be(expected);

    [Fact]
    public void Numbers_bools_and_null()
    {
        Eval("1 + 2 * 3").Number.Should().Be(7);
        Eval("10 % 4").Number.Should().Be(2);
        Eval("length(\"héllo\")").Number.Should().Be(5);
        Eval("!(1 < 2) || 2 >= 2").Bool.Should().BeTrue();
        Eval("null").IsNull.Should().BeTrue();
        Eval("[1, \"a\"] == [1, \"a\"]").Bool.Should().BeTrue();
        Eval("{a = 1} != {a = 1}").Bool.Should().BeFalse();
        Eval("1 / 0").IsError.Should().BeTrue();
        Eval("max(1, 5, 3) + min(4, 2) + abs(-1) + ceil(1.2) + floor(1.8)").Number.Should().Be(11);
    }

    [Fact]
    public void Unsupported_functions_are_unknown_and_say_so()
    {
        var v = Eval("cidrsubnet(\"10.0.0.0/16\", 8, 1)");
        v.IsKnown.Should().BeFalse();
        v.IsError.Should().BeFalse();
        v.Reason.Should().Contain("cidrsubnet()");
        Eval("timestamp()").IsKnown.Should().BeFalse();
    }

    [Fact]
    public void Variables_come_from_defaults_then_terraform_tfvars_then_auto_tfvars()
    {
        var ev = Module(
            ("variables.tf", "variable \"a\" {\n  default = \"default-a\"\n}\nvariable \"b\" {\n  default = \"default-b\"\n}\nvariable \"c\" {\n  default = \"default-c\"\n}\nvariable \"d\" {}\n"),
            ("terraform.tfvars", "b = \"tfvars-b\"\nc = \"tfvars-c\"\n"),
            ("z.auto.tfvars", "c = \"auto-c\"\n"));
        ev.Variable("a").Str.Should().Be("default-a");
        ev.Variable("b").Str.Should().Be("tfvars-b");
        ev.Variable("c").Str.Should().Be("auto-c");
        var d = ev.Variable("d");
        d.IsKnown.Should().BeFalse();
        d.Reason.Should().Contain("no default");
        ev.Variable("b").Origin!.Value.File.Should().Be("terraform.tfvars");
    }

    [Fact]
    public void Optional_object_attributes_get_their_defaults()
    {
        var ev = Module(("v.tf", """
            variable "cfg" {
              type = object({
                name = optional(string)
                port = optional(number, 8080)
                tags = optional(set(string))
              })
              default = { tags = ["b", "a", "b"] }
            }
            """));
        var cfg = ev.Variable("cfg");
        cfg.Map["name"].IsNull.Should().BeTrue();
        cfg.Map["port"].Number.Should().Be(8080);
        cfg.Map["tags"].Items.Select(i => i.Str).Should().Equal("a", "b");
    }

    [Fact]
    public void Locals_chain_across_files_and_cycles_are_unknown()
    {
        var ev = Module(
            ("a.tf", "locals {\n  name = \"${local.prefix}-${var.env}\"\n  loop1 = local.loop2\n  loop2 = local.loop1\n}\n"),
            ("b.tf", "locals {\n  prefix = upper(local.base)\n  base = \"app\"\n}\nvariable \"env\" {\n  default = \"prod\"\n}\n"));
        ev.Local("name").Str.Should().Be("APP-prod");
        var loop = ev.Local("loop1");
        loop.IsKnown.Should().BeFalse();
        loop.Reason.Should().Contain("depends on itself");
    }

    [Fact]
    public void Unknown_propagates_through_every_operation()
    {
        var files = new[] { ("v.tf", "variable \"image\" {}\nresource \"aws_iam_role\" \"r\" {\n  name = \"role\"\n}\n") };
        foreach (var expr in new[]
        {
            "\"${var.image}:latest\"", "upper(var.image)", "var.image == \"x\"", "var.image != \"x\"", "length(var.image)",
            "var.image ? 1 : 2", "[for x in var.image : x]", "jsonencode({image = var.image})", "aws_iam_role.r.arn",
            "\"arn=${aws_iam_role.r.arn}\"", "coalesce(var.image, \"x\")", "format(\"%s\", var.image)", "!var.image", "var.image + 1",
            "lookup(var.image, \"k\", \"d\")", "merge(var.image, {})", "concat(var.image, [])", "var.image[0]", "var.image.*.x",
            // A resource object is only partly known: its computed attributes are missing from the configuration.
            "length(aws_iam_role.r)", "lookup(aws_iam_role.r, \"arn\", \"default\")", "keys(aws_iam_role.r)",
            "[for k, v in aws_iam_role.r : k]", "jsonencode(aws_iam_role.r)", "aws_iam_role.r == aws_iam_role.r",
            "merge(aws_iam_role.r, {}).arn",
        })
        {
            var v = Eval(expr, files);
            v.IsKnown.Should().BeFalse($"{expr} depends on an unknown value");
        }
        Eval("aws_iam_role.r.name", files).Str.Should().Be("role", "attributes set in configuration are known");
        Eval("length([var.image, 1])", files).Number.Should().Be(2, "a list with an unknown element still has a known length");
        Eval("false && var.image", files).Bool.Should().BeFalse();
        Eval("var.image == \"x\" ? \"same\" : \"same\"", files).Str.Should().Be("same", "both branches agree");
        var partial = Eval("[\"a\", var.image]", files);
        partial.Kind.Should().Be(TfKind.List);
        partial.Items[0].Str.Should().Be("a");
        partial.Items[1].IsKnown.Should().BeFalse();
    }

    [Fact]
    public void Count_and_for_each_instances_when_trivially_known()
    {
        var ev = Module(("m.tf", """
            resource "aws_sqs_queue" "q" {
              count = 2
              name  = "q-${count.index}"
            }
            resource "aws_sqs_queue" "named" {
              for_each = toset(["a", "b"])
              name     = "n-${each.key}"
            }
            resource "aws_sqs_queue" "dyn" {
              count = var.n
              name  = "x"
            }
            variable "n" {}
            """));
        ev.Resource("aws_sqs_queue", "q").Items.Select(i => i.Map["name"].Str).Should().Equal("q-0", "q-1");
        ev.Resource("aws_sqs_queue", "named").Map["b"].Map["name"].Str.Should().Be("n-b");
        ev.Resource("aws_sqs_queue", "dyn").IsKnown.Should().BeFalse();
        ev.Instances("aws_sqs_queue", "q").Select(i => i.Address).Should().Equal("aws_sqs_queue.q[0]", "aws_sqs_queue.q[1]");
        ev.Instances("aws_sqs_queue", "named").Select(i => i.Address).Should().Equal("aws_sqs_queue.named[\"a\"]", "aws_sqs_queue.named[\"b\"]");
        var dyn = ev.Instances("aws_sqs_queue", "dyn").Single();
        dyn.Address.Should().Be("aws_sqs_queue.dyn");
        dyn.Instance.IsKnown.Should().BeFalse();
        new HclEvaluator(TerraformModule.FromSources("/x", ("p.tf", "locals {\n  v = each.key\n}\n"))).Local("v").IsKnown.Should().BeFalse();
    }

    [Fact]
    public void Resource_and_data_references_to_literal_attributes()
    {
        var ev = Module(("m.tf", """
            resource "aws_ecs_cluster" "main" {
              name = "main-${var.env}"
              setting {
                name  = "containerInsights"
                value = "enabled"
              }
            }
            data "aws_region" "current" {}
            variable "env" {
              default = "dev"
            }
            locals {
              cluster = aws_ecs_cluster.main.name
              insights = aws_ecs_cluster.main.setting[0].value
              region = data.aws_region.current.name
              arn = aws_ecs_cluster.main.arn
            }
            """));
        ev.Local("cluster").Str.Should().Be("main-dev");
        ev.Local("insights").Str.Should().Be("enabled");
        ev.Local("region").IsKnown.Should().BeFalse();
        var arn = ev.Local("arn");
        arn.IsKnown.Should().BeFalse();
        arn.IsError.Should().BeFalse();
        arn.Reason.Should().Contain("computed");
    }

    [Fact]
    public void Local_modules_are_followed_and_registry_modules_are_unknown()
    {
        using var dir = new Support.TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "modules", "svc"));
        File.WriteAllText(Path.Combine(dir.Path, "main.tf"), """
            module "svc" {
              source = "./modules/svc"
              name   = "api"
            }
            module "vpc" {
              source  = "terraform-aws-modules/vpc/aws"
              version = "5.0.0"
            }
            locals {
              svc_role = module.svc.role_name
              svc_path = module.svc.where
              vpc_id   = module.vpc.vpc_id
            }
            """);
        File.WriteAllText(Path.Combine(dir.Path, "modules", "svc", "main.tf"), """
            variable "name" {}
            variable "suffix" {
              default = "role"
            }
            resource "aws_iam_role" "this" {
              name = "${var.name}-${var.suffix}"
            }
            output "role_name" {
              value = aws_iam_role.this.name
            }
            output "where" {
              value = path.module
            }
            """);
        var ev = new HclEvaluator(TerraformModule.Load(dir.Path, dir.Path));
        ev.Local("svc_role").Str.Should().Be("api-role");
        ev.Local("svc_path").Str.Should().Be("modules/svc");
        var vpc = ev.Local("vpc_id");
        vpc.IsKnown.Should().BeFalse();
        vpc.Reason.Should().Contain("terraform-aws-modules/vpc/aws");
        ev.Local("svc_role").Origin!.Value.File.Should().Be("modules/svc/main.tf");

        // Scanning only the child folder: a call that climbs out of it is not followed.
        File.WriteAllText(Path.Combine(dir.Path, "modules", "svc", "up.tf"), "module \"parent\" {\n  source = \"../../\"\n}\nlocals {\n  p = module.parent.x\n}\n");
        var child = Path.Combine(dir.Path, "modules", "svc");
        var scoped = new HclEvaluator(TerraformModule.Load(child, child)).Local("p");
        scoped.IsKnown.Should().BeFalse();
        scoped.Reason.Should().Contain("inside the scanned folder");
    }

    [Fact]
    public void File_and_templatefile_read_inside_the_scanned_folder_only()
    {
        using var dir = new Support.TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "policy.json"), "{\"Version\": \"2012-10-17\"}");
        File.WriteAllText(Path.Combine(dir.Path, "task.tpl"), "[{\"name\": \"${name}\", \"image\": \"${image}\"}]");
        File.WriteAllText(Path.Combine(dir.Path, "main.tf"), """
            locals {
              policy  = file("${path.module}/policy.json")
              task    = templatefile("${path.module}/task.tpl", { name = "web", image = "nginx" })
              outside = file("/etc/hostname")
            }
            """);
        var ev = new HclEvaluator(TerraformModule.Load(dir.Path, dir.Path));
        ev.Local("policy").Str.Should().Contain("2012-10-17");
        JArray.Parse(ev.Local("task").Str)[0]!["image"]!.ToString().Should().Be("nginx");
        ev.Local("outside").IsKnown.Should().BeFalse();
    }

    [Fact]
    public void Dynamic_blocks_expand_when_for_each_is_known()
    {
        var ev = Module(("m.tf", """
            variable "ports" {
              default = [80, 443]
            }
            variable "unknown_rules" {}
            resource "aws_security_group" "sg" {
              dynamic "ingress" {
                for_each = var.ports
                content {
                  from_port = ingress.value
                }
              }
            }
            resource "aws_security_group" "other" {
              dynamic "ingress" {
                for_each = var.unknown_rules
                iterator = rule
                content {
                  from_port = rule.value
                }
              }
            }
            """));
        ev.Resource("aws_security_group", "sg").Map["ingress"].Items.Select(i => i.Map["from_port"].Number).Should().Equal(80, 443);
        ev.Resource("aws_security_group", "other").Map["ingress"].IsKnown.Should().BeFalse();
    }
}
