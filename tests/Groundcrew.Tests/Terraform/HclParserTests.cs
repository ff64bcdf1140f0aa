using FluentAssertions;
using Groundcrew.Load.Terraform;
using Xunit;

namespace Groundcrew.Tests.Terraform;

public class HclParserTests
{
    private static HclBody Parse(string text) => HclParser.ParseFile(text, "main.tf");
    private static HclExpr Expr(string text) => HclParser.ParseExpression(text);

    private static HclParseException Reject(string text)
    {
        var (body, error) = HclParser.TryParseFile(text, "bad.tf");
        body.Should().BeNull();
        error.Should().NotBeNull();
        return error!;
    }

    [Fact]
    public void Blocks_attributes_and_labels_with_positions()
    {
        var body = Parse("""
            # comment
            resource "aws_iam_role" app {
              name = "app"

              inline_policy {
                name = "x"
              }
            }
            variable "v" {}
            """);
        body.Blocks.Should().HaveCount(2);
        var res = body.Blocks[0];
        res.Type.Should().Be("resource");
        res.Labels.Should().Equal("aws_iam_role", "app");
        res.LabelSpans[0].StartColumn.Should().Be(10);
        res.LabelSpans[1].StartColumn.Should().Be(25);
        res.Span.StartLine.Should().Be(2);
        res.Span.EndLine.Should().Be(8);
        var name = res.Body.Attribute("name")!;
        name.Span.StartLine.Should().Be(3);
        name.Span.StartColumn.Should().Be(3);
        name.Expression.Span.StartColumn.Should().Be(10);
        res.Body.Blocks.Single().Type.Should().Be("inline_policy");
        res.Body.Blocks.Single().Body.Attribute("name")!.Span.StartLine.Should().Be(6);
        body.Blocks[1].Body.Attributes.Should().BeEmpty();
    }

    [Fact]
    public void Single_line_block_with_one_attribute()
    {
        var body = Parse("a \"b\" { c = 1 }\n");
        body.Blocks[0].Body.Attribute("c")!.Expression.Should().BeOfType<HclLiteral>();
    }

    [Fact]
    public void Literals()
    {
        Expr("1.5e3").Should().BeOfType<HclLiteral>().Which.Text.Should().Be("1.5e3");
        Expr("true").Should().BeOfType<HclLiteral>().Which.Kind.Should().Be(HclLiteralKind.Bool);
        Expr("null").Should().BeOfType<HclLiteral>().Which.Kind.Should().Be(HclLiteralKind.Null);
    }

    [Fact]
    public void Quoted_template_with_escapes_and_interpolation()
    {
        var t = Expr("\"a\\n\\\"b\\u00e9 $${lit} ${var.x}!\"").Should().BeOfType<HclTemplate>().Which;
        t.Parts.Should().HaveCount(3);
        ((HclTemplateLiteral)t.Parts[0]).Text.Should().Be("a\n\"bé ${lit} ");
        ((HclTemplateInterpolation)t.Parts[1]).Expression.Should().BeOfType<HclGetAttr>().Which.Name.Should().Be("x");
        t.LiteralValue.Should().BeNull();
    }

    [Fact]
    public void Template_directives_with_strip_markers()
    {
        var t = (HclTemplate)Expr("\"%{ if a }yes%{ else }no%{ endif } %{~ for k, v in m ~}  ${k}=${v} %{~ endfor ~}\"");
        var iff = t.Parts[0].Should().BeOfType<HclTemplateIf>().Which;
        ((HclTemplateLiteral)iff.Then[0]).Text.Should().Be("yes");
        ((HclTemplateLiteral)iff.Else[0]).Text.Should().Be("no");
        var loop = t.Parts.OfType<HclTemplateFor>().Single();
        loop.KeyVar.Should().Be("k");
        loop.ValueVar.Should().Be("v");
        ((HclTemplateLiteral)loop.Body[0]).Text.Should().Be("", "the '~}' strips the following whitespace");
    }

    [Fact]
    public void Heredoc_and_indented_heredoc()
    {
        var body = Parse("a = <<EOF\n  hello ${x}\nEOF\nb = <<-EOT\n    one\n      two\n    EOT\n");
        var a = (HclTemplate)body.Attribute("a")!.Expression;
        a.IsHeredoc.Should().BeTrue();
        ((HclTemplateLiteral)a.Parts[0]).Text.Should().Be("  hello ");
        a.Span.StartLine.Should().Be(1);
        a.Span.EndLine.Should().Be(3);
        var b = (HclTemplate)body.Attribute("b")!.Expression;
        b.LiteralValue.Should().Be("one\n  two\n");
        body.Attribute("b")!.Span.StartLine.Should().Be(4);
    }

    [Fact]
    public void Tuples_and_objects()
    {
        var tuple = (HclTuple)Expr("[1, \"two\",\n  three,\n]");
        tuple.Items.Should().HaveCount(3);
        var obj = (HclObject)Parse("o = {\n  a = 1\n  \"b\" : 2,\n  (var.k) = 3\n}\n").Attribute("o")!.Expression;
        obj.Items.Should().HaveCount(3);
        obj.Items[0].KeyIsIdentifier.Should().BeTrue();
        obj.Items[1].KeyIsIdentifier.Should().BeFalse();
        obj.Items[2].Key.Should().BeOfType<HclParens>();
    }

    [Fact]
    public void Traversals_index_and_legacy_index()
    {
        var e = Expr("aws_iam_role.app[0].arn");
        var arn = e.Should().BeOfType<HclGetAttr>().Which;
        arn.Name.Should().Be("arn");
        var idx = arn.Source.Should().BeOfType<HclIndex>().Which;
        idx.Source.Should().BeOfType<HclGetAttr>().Which.Name.Should().Be("app");
        Expr("a.0.b").Should().BeOfType<HclGetAttr>().Which.Source.Should().BeOfType<HclIndex>();
        Expr("m[\"k\"]").Should().BeOfType<HclIndex>();
    }

    [Fact]
    public void Splats()
    {
        var attr = Expr("aws_subnet.x.*.id").Should().BeOfType<HclSplat>().Which;
        attr.Full.Should().BeFalse();
        attr.Each.Should().BeOfType<HclGetAttr>().Which.Source.Should().BeOfType<HclSplatItem>();
        var full = Expr("var.l[*].a[0]").Should().BeOfType<HclSplat>().Which;
        full.Full.Should().BeTrue();
        full.Each.Should().BeOfType<HclIndex>();
        // An attribute-only splat ends at the first index: the index applies to the result.
        Expr("x.*.a[0]").Should().BeOfType<HclIndex>().Which.Source.Should().BeOfType<HclSplat>();
    }

    [Fact]
    public void Function_calls_with_expansion_and_namespaces()
    {
        var call = Expr("merge(\n  local.a,\n  var.list...\n)").Should().BeOfType<HclFunctionCall>().Which;
        call.Name.Should().Be("merge");
        call.Arguments.Should().HaveCount(2);
        call.ExpandFinal.Should().BeTrue();
        Expr("provider::aws::arn_parse(x)").Should().BeOfType<HclFunctionCall>().Which.Name.Should().Be("provider::aws::arn_parse");
    }

    [Fact]
    public void Operators_follow_hcl_precedence()
    {
        var e = Expr("a || b && c == 1 + 2 * 3");
        var or = e.Should().BeOfType<HclBinary>().Which;
        or.Operator.Should().Be("||");
        var and = or.Right.Should().BeOfType<HclBinary>().Which;
        and.Operator.Should().Be("&&");
        var eq = and.Right.Should().BeOfType<HclBinary>().Which;
        eq.Operator.Should().Be("==");
        var plus = eq.Right.Should().BeOfType<HclBinary>().Which;
        plus.Operator.Should().Be("+");
        plus.Right.Should().BeOfType<HclBinary>().Which.Operator.Should().Be("*");
        Expr("!a").Should().BeOfType<HclUnary>();
        Expr("-1 - -2").Should().BeOfType<HclBinary>().Which.Right.Should().BeOfType<HclUnary>();
    }

    [Fact]
    public void Conditionals_nest_to_the_right()
    {
        var c = Expr("a ? b : c ? d : e").Should().BeOfType<HclConditional>().Which;
        c.False.Should().BeOfType<HclConditional>();
    }

    [Fact]
    public void For_expressions()
    {
        var list = Expr("[for s in var.l : upper(s) if s != \"\"]").Should().BeOfType<HclFor>().Which;
        list.IsObject.Should().BeFalse();
        list.ValueVar.Should().Be("s");
        list.Condition.Should().NotBeNull();
        var map = Expr("{\n  for k, v in var.m :\n  v.group => k...\n}").Should().BeOfType<HclFor>().Which;
        map.IsObject.Should().BeTrue();
        map.KeyVar.Should().Be("k");
        map.Grouping.Should().BeTrue();
    }

    [Theory]
    [InlineData("a = \"unterminated\n", 1, 5)]
    [InlineData("a = 1 b = 2\n", 1, 7)]
    [InlineData("block {\n  x = 1\n", 3, 1)]
    [InlineData("a = \"\\q\"\n", 1, 6)]
    [InlineData("a = <<EOF\nno end\n", 3, 1)]
    [InlineData("a = [1 2]\n", 1, 8)]
    [InlineData("a = f(x..., y)\n", 1, 13)]
    [InlineData("a = \"%{ if x }y\"\n", 1, 16)]
    [InlineData("}\n", 1, 1)]
    [InlineData("x {\n  a = {\n    b = 1 c = 2\n  }\n}\n", 3, 11)]
    public void Syntax_errors_carry_line_and_column(string text, int line, int column)
    {
        var error = Reject(text);
        error.Line.Should().Be(line);
        error.Column.Should().Be(column);
        error.File.Should().Be("bad.tf");
        error.Message.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Binary_junk_and_truncated_files_are_errors_not_crashes()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            var act = () => HclParser.TryParseFile(text, "junk.tf");
            act.Should().NotThrow();
        }
        const string Valid = "resource \"aws_ecs_task_definition\" \"t\" {\n  container_definitions = jsonencode([{ name = \"app\", image = \"${var.repo}:${var.tag}\" }])\n  policy = <<-EOF\n    {\"a\": [for x in y : x]}\n  EOF\n  v = { for k, v in m : k => v... if v != null }\n}\n";
        HclParser.TryParseFile(Valid, "ok.tf").Error.Should().BeNull();
        var rejected = 0;
        for (var cut = 1; cut < Valid.Length - 1; cut++)
        {
            var (body, error) = HclParser.TryParseFile(Valid[..cut], "cut.tf");
            if (error != null) rejected++;
        }
        rejected.Should().BeGreaterThan(Valid.Length * 9 / 10, "almost every truncation of a block leaves it unclosed");
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_stack_overflow()
    {
        var deep = "a = " + new string('[', 5000) + new string(']', 5000) + "\n";
        Reject(deep).Message.Should().Contain("nested too deeply");
        var deepParens = "a = " + new string('(', 5000) + "1" + new string(')', 5000) + "\n";
        Reject(deepParens).Message.Should().Contain("nested too deeply");
    }

    [Fact]
    public void Template_file_parsing()
    {
        var t = HclParser.ParseTemplate("[{\"name\": \"${name}\"%{ if x }, \"x\": 1%{ endif }}]\n", "task.json.tpl");
        t.Parts.OfType<HclTemplateInterpolation>().Should().ContainSingle();
        t.Parts.OfType<HclTemplateIf>().Should().ContainSingle();
        t.Span.File.Should().Be("task.json.tpl");
    }
}
