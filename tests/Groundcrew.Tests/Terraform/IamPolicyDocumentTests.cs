using FluentAssertions;
using Groundcrew.Load.Terraform;
using Newtonsoft.Json.Linq;
using Xunit;

namespace Groundcrew.Tests.Terraform;

public class IamPolicyDocumentTests
{
    private static TfValue Json(string tf, string name = "doc")
    {
        var module = TerraformModule.FromSources("/x", ("main.tf", tf));
        module.Errors.Should().BeEmpty();
        var doc = new HclEvaluator(module).Data("aws_iam_policy_document", name);
        doc.Kind.Should().Be(TfKind.Map);
        return doc.Map["json"];
    }

    [Fact]
    public void Renders_statements_principals_and_conditions_like_the_provider()
    {
        var json = Json("""
            data "aws_iam_policy_document" "doc" {
              statement {
                sid     = "Assume"
                actions = ["sts:AssumeRole"]
                principals {
                  type        = "Service"
                  identifiers = ["ecs-tasks.amazonaws.com"]
                }
                condition {
                  test     = "StringEquals"
                  variable = "aws:SourceAccount"
                  values   = ["123456789012"]
                }
              }
              statement {
                effect        = "Deny"
                not_actions   = ["iam:*", "sts:*"]
                resources     = ["*"]
                principals {
                  type        = "*"
                  identifiers = ["*"]
                }
              }
            }
            """);
        json.IsKnown.Should().BeTrue(json.Reason);
        var policy = JObject.Parse(json.Str);
        policy["Version"]!.ToString().Should().Be("2012-10-17");
        var s0 = policy["Statement"]![0]!;
        s0["Sid"]!.ToString().Should().Be("Assume");
        s0["Effect"]!.ToString().Should().Be("Allow");
        s0["Action"]!.Type.Should().Be(JTokenType.String, "a single action is written as a string");
        s0["Principal"]!["Service"]!.ToString().Should().Be("ecs-tasks.amazonaws.com");
        s0["Condition"]!["StringEquals"]!["aws:SourceAccount"]!.ToString().Should().Be("123456789012");
        var s1 = policy["Statement"]![1]!;
        s1["Sid"].Should().BeNull("an empty sid is left out");
        s1["NotAction"]!.Select(a => a.ToString()).Should().Equal("iam:*", "sts:*");
        s1["Resource"]!.ToString().Should().Be("*");
        s1["Principal"]!.ToString().Should().Be("*");
    }

    [Fact]
    public void Source_and_override_documents_merge_by_sid()
    {
        var module = TerraformModule.FromSources("/x", ("main.tf", """
            data "aws_iam_policy_document" "base" {
              statement {
                sid       = "A"
                actions   = ["s3:GetObject"]
                resources = ["*"]
              }
              statement {
                sid       = "B"
                actions   = ["s3:PutObject"]
                resources = ["*"]
              }
            }
            data "aws_iam_policy_document" "combined" {
              source_policy_documents = [data.aws_iam_policy_document.base.json]
              statement {
                sid       = "B"
                actions   = ["s3:DeleteObject"]
                resources = ["*"]
              }
              override_policy_documents = [jsonencode({ Statement = [{ Sid = "A", Effect = "Deny", Action = "*", Resource = "*" }] })]
            }
            """));
        var json = new HclEvaluator(module).Data("aws_iam_policy_document", "combined").Map["json"];
        var statements = JObject.Parse(json.Str)["Statement"]!;
        statements.Should().HaveCount(2);
        statements[0]!["Effect"]!.ToString().Should().Be("Deny");
        statements[1]!["Action"]!.ToString().Should().Be("s3:DeleteObject");
    }

    [Fact]
    public void Dynamic_statements_expand_or_stay_unknown()
    {
        var known = Json("""
            variable "buckets" {
              default = ["a", "b"]
            }
            data "aws_iam_policy_document" "doc" {
              dynamic "statement" {
                for_each = var.buckets
                content {
                  actions   = ["s3:GetObject"]
                  resources = ["arn:aws:s3:::${statement.value}/*"]
                }
              }
            }
            """);
        JObject.Parse(known.Str)["Statement"]!.Select(s => s["Resource"]!.ToString()).Should().Equal("arn:aws:s3:::a/*", "arn:aws:s3:::b/*");

        var unknown = Json("""
            variable "buckets" {}
            data "aws_iam_policy_document" "doc" {
              dynamic "statement" {
                for_each = var.buckets
                content {
                  actions = ["s3:GetObject"]
                }
              }
            }
            """);
        unknown.IsKnown.Should().BeFalse();
        unknown.Encoded!.Map["Statement"].IsKnown.Should().BeFalse("the statements cannot be known, not guessed empty");
    }

    [Fact]
    public void Unknown_parts_keep_the_known_structure_with_positions()
    {
        var module = TerraformModule.FromSources("/x", ("main.tf", """
            resource "aws_s3_bucket" "b" {
              bucket = "data"
            }
            data "aws_iam_policy_document" "doc" {
              statement {
                actions   = ["s3:*"]
                resources = [aws_s3_bucket.b.arn]
              }
            }
            """));
        var json = new HclEvaluator(module).Data("aws_iam_policy_document", "doc").Map["json"];
        json.IsKnown.Should().BeFalse();
        var tree = TerraformValueToTree.DecodeJson(json, Groundcrew.Core.SourceSpan.OfFile("main.tf"));
        var statement = tree.At("Statement")!.AsSeq!.Items[0].AsMap!;
        statement.GetString("Action").Should().Be("s3:*");
        statement["Action"]!.Span.StartLine.Should().Be(6);
        statement["Resource"].Should().BeOfType<UnknownNode>();
        statement.Span.StartLine.Should().Be(5);
    }
}
